// PLACEHOLDER: replaced by the softmax kernel family's real bindings.
#include "bindings.h"
namespace et {
void RegisterSoftmax(Napi::Env env, Napi::Object exports) {}
}  // namespace et
