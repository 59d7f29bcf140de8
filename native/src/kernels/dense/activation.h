// The dense layer's activations: src/backend/kernel.ts' FUSED_ACTIVATIONS in that order, then
// softmax, which only denseStack takes. Plain C++: the ISA units of the dense family include it.
#pragma once

namespace et {

enum Activation : int { kLinear, kRelu, kRelu6, kLeakyRelu, kElu, kSigmoid, kTanh, kSoftmax };
// The activations a FusedMatMul applies (all but softmax, whose gradient is not elementwise).
constexpr int kNumFusedActivations = kSoftmax;

}  // namespace et
