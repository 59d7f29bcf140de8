// Softmax kernel bodies, compiled by softmax_scalar.cc / softmax_avx2.cc / softmax_avx512.cc.
// Numerically stable: each row is shifted by its max before exp, so huge magnitudes stay
// finite; -inf entries give 0 (log: -inf). A row containing NaN, +inf, or only -inf has no
// meaningful normalisation and comes out NaN (as in PyTorch / TF).
#pragma once

#include "kernels/simd/fold.h"
#include "kernels/simd/vmath.h"
#include "kernels/softmax/softmax_kernels.h"

namespace et {
namespace ET_SIMD_NS {
namespace sm {

struct ExpShifted {
  VF m;
  VF operator()(VF v) const { return Exp(Sub(v, m)); }
};

// out = exp(x - max) / sum(exp(x - max)).
static void Softmax(const float* x, float* out, int64_t r0, int64_t r1, int64_t cols) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* xr = x + r * cols;
    float* yr = out + r * cols;
    const ExpShifted f{Set1(FoldRow<FoldMax>(xr, cols))};
    // Pass 2: write the exponentials and sum them (two accumulators).
    VF s0 = Set1(0.0f), s1 = Set1(0.0f);
    int64_t i = 0;
    for (; i + 2 * kLanes <= cols; i += 2 * kLanes) {
      const VF e0 = f(Load(xr + i)), e1 = f(Load(xr + i + kLanes));
      Store(yr + i, e0);
      Store(yr + i + kLanes, e1);
      s0 = Add(s0, e0);
      s1 = Add(s1, e1);
    }
    for (; i < cols; i += kLanes) {
      const int64_t n = cols - i < kLanes ? cols - i : kLanes;
      const VF e = f(LoadPadded(xr + i, n, -INFINITY));  // padding: exp(-inf) = 0
      StoreMasked(yr + i, FirstLanes(n), e);
      s0 = Add(s0, e);
    }
    const VF sum = Set1(ReduceAdd(Add(s0, s1)));
    // Pass 3: normalise in place.
    for (i = 0; i + kLanes <= cols; i += kLanes) Store(yr + i, Div(Load(yr + i), sum));
    if (i < cols) MapTail(yr + i, yr + i, cols - i, 0.0f, [sum](VF v) { return Div(v, sum); });
  }
}

// out = (x - max) - log(sum(exp(x - max))).
static void LogSoftmax(const float* x, float* out, int64_t r0, int64_t r1, int64_t cols) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* xr = x + r * cols;
    float* yr = out + r * cols;
    const VF m = Set1(FoldRow<FoldMax>(xr, cols));
    const ExpShifted f{m};
    const VF log_sum = Set1(::logf(FoldRowMapped<FoldSum>(xr, cols, f)));
    const auto g = [m, log_sum](VF v) { return Sub(Sub(v, m), log_sum); };
    int64_t i = 0;
    for (; i + kLanes <= cols; i += kLanes) Store(yr + i, g(Load(xr + i)));
    if (i < cols) MapTail(xr + i, yr + i, cols - i, 0.0f, g);
  }
}

}  // namespace sm

const SoftmaxTable* GetSoftmaxTable() {
  static const SoftmaxTable table = {sm::Softmax, sm::LogSoftmax};
  return &table;
}

}  // namespace ET_SIMD_NS
}  // namespace et
