#include "kernels/dense/dense_layer.h"

#include <new>

#include "kernels/elementwise/elementwise_kernels.h"
#include "kernels/gemm/gemm_driver.h"
#include "kernels/simd/dispatch.h"
#include "kernels/softmax/softmax_kernels.h"

namespace et {
namespace {

// The elementwise kernel that applies each activation (the same code as the unfused op).
UnaryOp ForwardOp(Activation act) {
  switch (act) {
    case kRelu: return kUnaryRelu;
    case kRelu6: return kUnaryRelu6;
    case kLeakyRelu: return kUnaryLeakyRelu;
    case kElu: return kUnaryElu;
    case kSigmoid: return kUnarySigmoid;
    default: return kUnaryTanh;
  }
}

}  // namespace

Activation ActivationArg(const Args& args, size_t index) {
  return static_cast<Activation>(args.IntInRange(index, "activation", 0, kNumFusedActivations - 1));
}

void CheckAlpha(const Args& args, size_t index, Activation act, float alpha) {
  if (act == kLeakyRelu && !(alpha >= 0 && alpha < 1e30f)) {
    args.FailRange(index, "alpha", "must be a finite number >= 0 for the fused leakyRelu (its gradient reads the sign of the output)");
  }
}

float AlphaArg(const Args& args, size_t index, Activation act) {
  const float alpha = static_cast<float>(args.Number(index, "alpha"));
  CheckAlpha(args, index, act, alpha);
  return alpha;
}

void RunGemm(const Napi::Env& env, int64_t m, int64_t n, int64_t k, bool trans_a, bool trans_b, const float* a,
             const float* b, float* c) {
  gemm::Problem pr{1, m, n, k, trans_a, trans_b, 0, 0};
  try {
    gemm::Run(pr, a, b, c);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "edgetensor native dense: out of memory for packing buffers");
  }
}

void BiasActivation(float* y, const float* bias, int64_t m, int64_t n, Activation act, float alpha) {
  if (bias == nullptr && act == kLinear) return;
  const ElementwiseTable& t = PickTable(scalar::GetElementwiseTable, avx2::GetElementwiseTable, avx512::GetElementwiseTable);
  const BinaryFn add = t.binary[0][kBinaryAdd];
  const UnaryF32Fn activate = act == kLinear || act == kSoftmax ? nullptr : t.unary_f32[ForwardOp(act)];
  const SoftmaxFn softmax =
      act == kSoftmax ? PickTable(scalar::GetSoftmaxTable, avx2::GetSoftmaxTable, avx512::GetSoftmaxTable).softmax : nullptr;
  auto rows = [=](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      float* row = y + r * n;
      if (bias != nullptr) add(row, bias, row, n, kBothVary);
      if (activate != nullptr) activate(row, row, n, alpha, 0.0f);
    }
    if (softmax != nullptr) softmax(y, y, r0, r1, n);
  };
  SplitWork(m, n, rows);
}

}  // namespace et
