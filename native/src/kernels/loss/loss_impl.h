// Fused softmax cross-entropy with integer labels: value and gradient in three passes over
// each row (max; sum of exp(x - max); gradient), exact for logits of any finite magnitude
// since the loss is taken as logSumExp - x[label], never as -log(softmax).
#pragma once

#include "kernels/loss/loss_kernels.h"
#include "kernels/simd/fold.h"
#include "kernels/simd/vmath.h"

namespace et {
namespace ET_SIMD_NS {
namespace xent {

// exp((x - m) - s): x - m first, so huge logits keep their small differences.
struct ExpShifted {
  VF m, s;
  VF operator()(VF v) const { return Exp(Sub(Sub(v, m), s)); }
};

// f(v) * scale.
template <typename F>
struct ScaledBy {
  F f;
  VF scale;
  VF operator()(VF v) const { return Mul(f(v), scale); }
};

static void SparseSoftmaxXent(const float* logits, const int32_t* labels, float* loss, float* grad,
                              int64_t r0, int64_t r1, int64_t cols, float grad_scale) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* x = logits + r * cols;
    float* g = grad + r * cols;
    const float m = FoldRow<FoldMax>(x, cols);
    const float log_sum = ::logf(FoldRowMapped<FoldSum>(x, cols, ExpShifted{Set1(m), Set1(0.0f)}));
    const int32_t label = labels[r];
    loss[r] = (m - x[label]) + log_sum;
    // softmax = exp((x - m) - log_sum): one exp per element, no division.
    const ExpShifted p{Set1(m), Set1(log_sum)};
    const ScaledBy<ExpShifted> scaled{p, Set1(grad_scale)};
    // The one-hot is subtracted in the vector before the store: subtracting it from g[label]
    // afterwards would read back a (masked) vector store, which does not forward to a load.
    const VI label_lane = Set1I(label);
    const VF one_hot = Set1(grad_scale);
    int64_t i = 0;
    const auto gradient = [&](VF v) {
      const VF p = scaled(v);
      return Select(EqI(IotaI(static_cast<int32_t>(i)), label_lane), Sub(p, one_hot), p);
    };
    for (; i + kLanes <= cols; i += kLanes) Store(g + i, gradient(Load(x + i)));
    if (i < cols) MapTail(x + i, g + i, cols - i, 0.0f, gradient);
  }
}

}  // namespace xent

const LossTable* GetLossTable() {
  static const LossTable table = {xent::SparseSoftmaxXent};
  return &table;
}

}  // namespace ET_SIMD_NS
}  // namespace et
