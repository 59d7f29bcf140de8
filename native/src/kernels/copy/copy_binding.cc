// PLACEHOLDER: replaced by the copy kernel family's real bindings.
#include "bindings.h"
namespace et {
void RegisterCopy(Napi::Env env, Napi::Object exports) {}
}  // namespace et
