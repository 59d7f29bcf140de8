// Vectorized folds of float32 data with an associative op (sum, product, Math.max, Math.min),
// shared by the reduction and softmax kernels. A contiguous row is folded with four vector
// accumulators per block of 64 vectors each, the block partials joining a running total
// (Kahan-compensated for sums): besides hiding add latency this keeps float sums accurate
// (1e6 ones sum exactly; 1e6 copies of 0.1 to ~1e-7 relative on every ISA).
#pragma once

#include "kernels/simd/simd.h"

namespace et {
namespace ET_SIMD_NS {

struct FoldSum {
  static constexpr bool kCompensated = true;
  static float Identity() { return 0.0f; }
  static VF V(VF a, VF b) { return Add(a, b); }
};
struct FoldProd {
  static constexpr bool kCompensated = false;
  static float Identity() { return 1.0f; }
  static VF V(VF a, VF b) { return Mul(a, b); }
};
// Math.max / Math.min: NaN wins, +0 beats -0 for max (and -0 beats +0 for min).
struct FoldMax {
  static constexpr bool kCompensated = false;
  static float Identity() { return -INFINITY; }
  static VF V(VF a, VF b) { return JsMax(a, b); }
};
struct FoldMin {
  static constexpr bool kCompensated = false;
  static float Identity() { return INFINITY; }
  static VF V(VF a, VF b) { return JsMin(a, b); }
};

constexpr int64_t kFoldBlock = 64 * 4 * kLanes;

// total = Op(total, block); for sums with Kahan compensation carried in comp (reset when it
// turns NaN, as it does once the total is infinite, so infinities still propagate).
template <typename Op>
ET_INLINE void Join(VF& total, VF& comp, VF block) {
  if (Op::kCompensated) {
    const VF y = Sub(block, comp);
    const VF t = Add(total, y);
    comp = Sub(Sub(t, total), y);
    comp = Select(IsNan(comp), Set1(0.0f), comp);
    total = t;
  } else {
    total = Op::V(total, block);
  }
}

// Folds the lanes of v into one float.
template <typename Op>
ET_INLINE float FoldLanes(VF v) {
  return ReduceLanes(v, [](VF a, VF b) { return Op::V(a, b); });
}

// Folds f(x[i]) over a contiguous row of n floats (f maps a vector; padding lanes get
// f(identity's preimage) replaced by the identity).
template <typename Op, typename F>
static float FoldRowMapped(const float* x, int64_t n, const F& f) {
  const VF id = Set1(Op::Identity());
  VF total = id, comp = Set1(0.0f);
  int64_t i = 0;
  constexpr int64_t kStep = 4 * kLanes;
  while (n - i >= kStep) {
    int64_t end = n - i < kFoldBlock ? n : i + kFoldBlock;
    end = i + (end - i) / kStep * kStep;
    VF a0 = id, a1 = id, a2 = id, a3 = id;
    for (; i < end; i += kStep) {
      a0 = Op::V(a0, f(Load(x + i)));
      a1 = Op::V(a1, f(Load(x + i + kLanes)));
      a2 = Op::V(a2, f(Load(x + i + 2 * kLanes)));
      a3 = Op::V(a3, f(Load(x + i + 3 * kLanes)));
    }
    Join<Op>(total, comp, Op::V(Op::V(a0, a1), Op::V(a2, a3)));
  }
  for (; i + kLanes <= n; i += kLanes) Join<Op>(total, comp, f(Load(x + i)));
  if (i < n) {
    Join<Op>(total, comp, Select(FirstLanes(n - i), f(LoadPadded(x + i, n - i, 0.0f)), id));
  }
  return FoldLanes<Op>(total);
}

struct FoldIdentityMap {
  VF operator()(VF v) const { return v; }
};

template <typename Op>
static float FoldRow(const float* x, int64_t n) {
  return FoldRowMapped<Op>(x, n, FoldIdentityMap());
}

}  // namespace ET_SIMD_NS
}  // namespace et
