// The addon's module entry: runtime controls (ISA, threads) and every kernel family.
#include <napi.h>

#include "bindings.h"
#include "cpu/cpu_features.h"
#include "cpu/heap_retention.h"
#include "cpu/thread_pool.h"
#include "napi_args.h"

namespace et {
namespace {

Napi::Value GetIsa(const CallInfo& info) {
  Args args(info, "isa", 0);
  return Napi::String::New(info.Env(), IsaName(ActiveIsa()));
}

Napi::Value GetBestIsa(const CallInfo& info) {
  Args args(info, "bestIsa", 0);
  return Napi::String::New(info.Env(), IsaName(BestSupportedIsa()));
}

Napi::Value SetIsa(const CallInfo& info) {
  Args args(info, "setIsa", 1);
  const std::string name = args.String(0, "isa");
  Isa isa;
  if (!ParseIsa(name.c_str(), &isa)) {
    args.FailRange(0, "isa", "must be one of 'avx512', 'avx2', 'scalar', got '" + name + "'");
  }
  if (!SetActiveIsa(isa)) {
    args.FailRange(0, "isa", "'" + name + "' is not supported by this CPU (best: " +
                                 IsaName(BestSupportedIsa()) + ")");
  }
  return Napi::String::New(info.Env(), IsaName(ActiveIsa()));
}

Napi::Value GetNumThreads(const CallInfo& info) {
  Args args(info, "numThreads", 0);
  return Napi::Number::New(info.Env(), NumThreads());
}

Napi::Value SetThreads(const CallInfo& info) {
  Args args(info, "setNumThreads", 1);
  SetNumThreads(static_cast<int>(args.IntInRange(0, "numThreads", 1, 1024)));
  return Napi::Number::New(info.Env(), NumThreads());
}

Napi::Value GetAvailableCores(const CallInfo& info) {
  Args args(info, "availableCores", 0);
  return Napi::Number::New(info.Env(), AvailableCores());
}

}  // namespace

void RegisterRuntime(Napi::Env env, Napi::Object exports) {
  Export<GetIsa>(env, exports, "isa");
  Export<GetBestIsa>(env, exports, "bestIsa");
  Export<SetIsa>(env, exports, "setIsa");
  Export<GetNumThreads>(env, exports, "numThreads");
  Export<SetThreads>(env, exports, "setNumThreads");
  Export<GetAvailableCores>(env, exports, "availableCores");
}

}  // namespace et

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("retainsFreedHeap", Napi::Boolean::New(env, et::RetainFreedHeap()));
  et::RegisterRuntime(env, exports);
  et::RegisterGemm(env, exports);
  et::RegisterElementwise(env, exports);
  et::RegisterReduce(env, exports);
  et::RegisterSoftmax(env, exports);
  et::RegisterCopy(env, exports);
  et::RegisterSegment(env, exports);
  et::RegisterOptim(env, exports);
  et::RegisterLoss(env, exports);
  et::RegisterDense(env, exports);
  et::RegisterDenseStack(env, exports);
  return exports;
}

NODE_API_MODULE(edgetensor, Init)
