// JS entry points of the optimizer-update family: sgdUpdate, momentumUpdate, adamUpdate and
// rmspropUpdate write a float32 parameter and its slots in place (one pass, no temporaries).
#include <cmath>
#include <cstdint>

#include "bindings.h"
#include "cpu/flush_denormals.h"
#include "kernels/optim/optim_kernels.h"
#include "kernels/simd/dispatch.h"
#include "napi_args.h"

namespace et {
namespace {

const OptimTable& Table() {
  return PickTable(scalar::GetOptimTable, avx2::GetOptimTable, avx512::GetOptimTable);
}

double FiniteArg(const Args& args, size_t index, const char* name) {
  const double v = args.Number(index, name);
  if (!std::isfinite(v)) args.FailRange(index, name, "must be a finite number, got " + std::to_string(v));
  return v;
}

float FiniteFloatArg(const Args& args, size_t index, const char* name) {
  return static_cast<float>(FiniteArg(args, index, name));
}

// Splits [0, n) across the pool for large parameters; small ones run inline. Subnormal
// results flush to zero (see flush_denormals.h): moments of a parameter whose gradient stays
// zero decay into subnormals otherwise.
template <typename F>
void ForElements(int64_t n, F f) {
  auto body = [&f](int64_t i0, int64_t i1) {
    FlushDenormalsScope flush;
    f(i0, i1);
  };
  SplitRange(n, kParallelWork, body);
}

Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "sgdUpdate", 4);
  const int64_t n = args.Size(2, "n");
  float* p = args.Float32(0, "param", n);
  const float* g = args.Float32(1, "grad", n);
  const SgdParams a{FiniteFloatArg(args, 3, "lr")};
  const OptimTable& t = Table();
  ForElements(n, [&](int64_t i0, int64_t i1) { t.sgd(p, g, i0, i1, a); });
  return info.Env().Undefined();
}

Napi::Value MomentumUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "momentumUpdate", 7);
  const int64_t n = args.Size(3, "n");
  float* p = args.Float32(0, "param", n);
  const float* g = args.Float32(1, "grad", n);
  float* accum = args.Float32(2, "accumulation", n);
  const MomentumParams a{FiniteFloatArg(args, 4, "lr"), FiniteFloatArg(args, 5, "momentum"), args.Bool(6, "nesterov")};
  const OptimTable& t = Table();
  ForElements(n, [&](int64_t i0, int64_t i1) { t.momentum(p, g, accum, i0, i1, a); });
  return info.Env().Undefined();
}

Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "adamUpdate", 11);
  const int64_t n = args.Size(4, "n");
  float* p = args.Float32(0, "param", n);
  const float* g = args.Float32(1, "grad", n);
  float* m = args.Float32(2, "m", n);
  float* v = args.Float32(3, "v", n);
  const double beta1 = FiniteArg(args, 6, "beta1");
  const double beta2 = FiniteArg(args, 7, "beta2");
  if (!(beta1 >= 0 && beta1 < 1)) args.FailRange(6, "beta1", "must be in [0, 1)");
  if (!(beta2 >= 0 && beta2 < 1)) args.FailRange(7, "beta2", "must be in [0, 1)");
  const int64_t iteration = args.IntInRange(9, "iteration", 1, int64_t{1} << 52);
  const AdamParams a{FiniteFloatArg(args, 5, "lr"),
                     static_cast<float>(beta1),
                     static_cast<float>(beta2),
                     FiniteFloatArg(args, 8, "epsilon"),
                     static_cast<float>(1.0 - std::pow(beta1, static_cast<double>(iteration))),
                     static_cast<float>(1.0 - std::pow(beta2, static_cast<double>(iteration))),
                     FiniteFloatArg(args, 10, "weightDecay")};
  const OptimTable& t = Table();
  ForElements(n, [&](int64_t i0, int64_t i1) { t.adam(p, g, m, v, i0, i1, a); });
  return info.Env().Undefined();
}

Napi::Value RmspropUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "rmspropUpdate", 11);
  const int64_t n = args.Size(5, "n");
  float* p = args.Float32(0, "param", n);
  const float* g = args.Float32(1, "grad", n);
  float* ms = args.Float32(2, "meanSquare", n);
  float* mom = args.Float32(3, "momentum", n);
  float* mg = args.Float32(4, "meanGradient", n);
  const RmspropParams a{FiniteFloatArg(args, 6, "lr"), FiniteFloatArg(args, 7, "decay"), FiniteFloatArg(args, 8, "momentum"),
                        FiniteFloatArg(args, 9, "epsilon"), args.Bool(10, "centered")};
  const OptimTable& t = Table();
  ForElements(n, [&](int64_t i0, int64_t i1) { t.rmsprop(p, g, ms, mom, mg, i0, i1, a); });
  return info.Env().Undefined();
}

}  // namespace

void RegisterOptim(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdUpdate", Napi::Function::New(env, SgdUpdate, "sgdUpdate"));
  exports.Set("momentumUpdate", Napi::Function::New(env, MomentumUpdate, "momentumUpdate"));
  exports.Set("adamUpdate", Napi::Function::New(env, AdamUpdate, "adamUpdate"));
  exports.Set("rmspropUpdate", Napi::Function::New(env, RmspropUpdate, "rmspropUpdate"));
}

}  // namespace et
