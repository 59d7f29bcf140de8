// PLACEHOLDER: replaced by the elementwise kernel family's real bindings.
#include "bindings.h"
namespace et {
void RegisterElementwise(Napi::Env env, Napi::Object exports) {}
}  // namespace et
