// PLACEHOLDER: replaced by the gemm kernel family's real bindings.
#include "bindings.h"
namespace et {
void RegisterGemm(Napi::Env env, Napi::Object exports) {}
}  // namespace et
