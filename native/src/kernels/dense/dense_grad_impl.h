// The activation gradients of the fused dense layer, written once against simd.h. Each is
// dy * act'(y) with the derivative taken from the output: for relu, relu6, leakyRelu (alpha >=
// 0) and elu the sign of y is the sign of x, so y decides the branch. The branch is a lane
// select: as a scalar `if`, relu's half-zero outputs mispredicted on every other element.
#pragma once

#include "kernels/dense/dense_grad_kernels.h"
#include "kernels/simd/simd.h"

namespace et {
namespace ET_SIMD_NS {
namespace dense_grad {

template <typename Derivative>
static void ScaleByDerivative(const float* dy, const float* y, float* dz, int64_t n, float alpha) {
  const Derivative derivative{Set1(alpha)};
  MapPair(dy, y, dz, n, 0.0f, [&derivative](VF d, VF v) { return Mul(d, derivative(v)); });
}

#define ET_DERIVATIVE(Name, expr)                \
  struct Name {                                  \
    VF alpha;                                    \
    VF operator()(VF y) const { return (expr); } \
  };

ET_DERIVATIVE(ReluDerivative, Select(Gt(y, Set1(0.0f)), Set1(1.0f), Set1(0.0f)))
ET_DERIVATIVE(Relu6Derivative, Select(MAnd(Gt(y, Set1(0.0f)), Lt(y, Set1(6.0f))), Set1(1.0f), Set1(0.0f)))
ET_DERIVATIVE(LeakyReluDerivative, Select(Gt(y, Set1(0.0f)), Set1(1.0f), alpha))
ET_DERIVATIVE(EluDerivative, Select(Gt(y, Set1(0.0f)), Set1(1.0f), Add(y, Set1(1.0f))))
ET_DERIVATIVE(SigmoidDerivative, Mul(y, Sub(Set1(1.0f), y)))
ET_DERIVATIVE(TanhDerivative, Sub(Set1(1.0f), Mul(y, y)))
#undef ET_DERIVATIVE

}  // namespace dense_grad

const DenseGradTable* GetDenseGradTable() {
  using namespace dense_grad;
  static const DenseGradTable table = {{
      nullptr,
      ScaleByDerivative<ReluDerivative>,
      ScaleByDerivative<Relu6Derivative>,
      ScaleByDerivative<LeakyReluDerivative>,
      ScaleByDerivative<EluDerivative>,
      ScaleByDerivative<SigmoidDerivative>,
      ScaleByDerivative<TanhDerivative>,
  }};
  return &table;
}

}  // namespace ET_SIMD_NS
}  // namespace et
