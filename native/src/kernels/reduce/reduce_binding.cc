// PLACEHOLDER: replaced by the reduce kernel family's real bindings.
#include "bindings.h"
namespace et {
void RegisterReduce(Napi::Env env, Napi::Object exports) {}
}  // namespace et
