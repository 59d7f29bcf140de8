// JS entry points of the optimizer-update family: sgdUpdate, momentumUpdate, adamUpdate and
// rmspropUpdate write float32 parameters and their slots in place (one pass, no temporaries),
// every parameter of a step in one call.
#include <cmath>
#include <cstdint>
#include <vector>

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

// Runs update(group arrays, i0, i1) over every element of every group: a small parameter inline,
// a large one split across the pool. (One split of all the groups' elements as a single range
// was 9 % slower on the GAN's 3M parameters, in a same-run A/B.) Subnormal results
// flush to zero (see flush_denormals.h): moments of a parameter whose gradient stays zero decay
// into subnormals otherwise.
template <typename F>
void ForGroupElements(const std::vector<Float32Group>& groups, F update) {
  for (const Float32Group& group : groups) {
    auto body = [&](int64_t i0, int64_t i1) {
      FlushDenormalsScope flush;
      update(group.arrays, i0, i1);
    };
    SplitRange(group.n, kParallelWork, body);
  }
}

// Each entry point takes its hyperparameters, then every parameter of the step with its gradient
// and slots as a run of arguments (param0, grad0, ...slots0, param1, grad1, ...): one call per step.
const std::vector<const char*> kSgdMembers = {"param", "grad"};
const std::vector<const char*> kMomentumMembers = {"param", "grad", "accumulation"};
const std::vector<const char*> kAdamMembers = {"param", "grad", "m", "v"};
const std::vector<const char*> kRmspropMembers = {"param", "grad", "meanSquare", "momentum", "meanGradient"};

// The groups from argument index on, in this thread's vector, reused from step to step.
const std::vector<Float32Group>& Groups(const Args& args, size_t index, const std::vector<const char*>& members) {
  thread_local std::vector<Float32Group> groups;
  args.Float32Groups(index, members, &groups);
  return groups;
}

Napi::Value SgdUpdate(const CallInfo& info) {
  Args args(info, "sgdUpdate", 1, true);
  const std::vector<Float32Group>& groups = Groups(args, 1, kSgdMembers);
  const SgdParams a{FiniteFloatArg(args, 0, "lr")};
  const OptimTable& t = Table();
  ForGroupElements(groups, [&](float* const* x, int64_t i0, int64_t i1) { t.sgd(x[0], x[1], i0, i1, a); });
  return info.Env().Undefined();
}

Napi::Value MomentumUpdate(const CallInfo& info) {
  Args args(info, "momentumUpdate", 3, true);
  const std::vector<Float32Group>& groups = Groups(args, 3, kMomentumMembers);
  const MomentumParams a{FiniteFloatArg(args, 0, "lr"), FiniteFloatArg(args, 1, "momentum"), args.Bool(2, "nesterov")};
  const OptimTable& t = Table();
  ForGroupElements(groups, [&](float* const* x, int64_t i0, int64_t i1) { t.momentum(x[0], x[1], x[2], i0, i1, a); });
  return info.Env().Undefined();
}

Napi::Value AdamUpdate(const CallInfo& info) {
  Args args(info, "adamUpdate", 6, true);
  const std::vector<Float32Group>& groups = Groups(args, 6, kAdamMembers);
  const double beta1 = FiniteArg(args, 1, "beta1");
  const double beta2 = FiniteArg(args, 2, "beta2");
  if (!(beta1 >= 0 && beta1 < 1)) args.FailRange(1, "beta1", "must be in [0, 1)");
  if (!(beta2 >= 0 && beta2 < 1)) args.FailRange(2, "beta2", "must be in [0, 1)");
  const int64_t iteration = args.IntInRange(4, "iteration", 1, int64_t{1} << 52);
  const AdamParams a{FiniteFloatArg(args, 0, "lr"),
                     static_cast<float>(beta1),
                     static_cast<float>(beta2),
                     FiniteFloatArg(args, 3, "epsilon"),
                     static_cast<float>(1.0 - std::pow(beta1, static_cast<double>(iteration))),
                     static_cast<float>(1.0 - std::pow(beta2, static_cast<double>(iteration))),
                     FiniteFloatArg(args, 5, "weightDecay")};
  const OptimTable& t = Table();
  ForGroupElements(groups, [&](float* const* x, int64_t i0, int64_t i1) { t.adam(x[0], x[1], x[2], x[3], i0, i1, a); });
  return info.Env().Undefined();
}

Napi::Value RmspropUpdate(const CallInfo& info) {
  Args args(info, "rmspropUpdate", 5, true);
  const std::vector<Float32Group>& groups = Groups(args, 5, kRmspropMembers);
  const RmspropParams a{FiniteFloatArg(args, 0, "lr"), FiniteFloatArg(args, 1, "decay"), FiniteFloatArg(args, 2, "momentum"),
                        FiniteFloatArg(args, 3, "epsilon"), args.Bool(4, "centered")};
  const OptimTable& t = Table();
  ForGroupElements(groups,
                   [&](float* const* x, int64_t i0, int64_t i1) { t.rmsprop(x[0], x[1], x[2], x[3], x[4], i0, i1, a); });
  return info.Env().Undefined();
}

}  // namespace

void RegisterOptim(Napi::Env env, Napi::Object exports) {
  Export<SgdUpdate>(env, exports, "sgdUpdate");
  Export<MomentumUpdate>(env, exports, "momentumUpdate");
  Export<AdamUpdate>(env, exports, "adamUpdate");
  Export<RmspropUpdate>(env, exports, "rmspropUpdate");
}

}  // namespace et
