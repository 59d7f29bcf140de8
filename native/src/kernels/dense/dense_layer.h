// The pieces of a dense layer that denseForward / denseBackward and denseStack share: the GEMM
// call, the activations (src/backend/kernel.ts' FUSED_ACTIVATIONS in that order, then softmax,
// which only denseStack takes), their argument checks, and bias + activation on the output.
#pragma once

#include <cstdint>

#include "kernels/dense/activation.h"
#include "napi_args.h"

namespace et {

// Activation argument `index`: one of the fused ones (a FusedMatMul's; denseStack reads its
// activations from an array and takes softmax too).
Activation ActivationArg(const Args& args, size_t index);
// leakyRelu's slope from argument `index`: a finite number >= 0 (its gradient reads the sign of
// the output); any number for the other activations, which ignore it.
float AlphaArg(const Args& args, size_t index, Activation act);
// Checks an alpha already read (for arrays of them): as AlphaArg.
void CheckAlpha(const Args& args, size_t index, Activation act, float alpha);

// c = op(a) op(b) through the GEMM driver; out of memory for its packing buffers is a JS error.
void RunGemm(const Napi::Env& env, int64_t m, int64_t n, int64_t k, bool trans_a, bool trans_b, const float* a,
             const float* b, float* c);

// y[m, n] = act(y + bias) row by row (bias may be null), split across the pool.
void BiasActivation(float* y, const float* bias, int64_t m, int64_t n, Activation act, float alpha);

}  // namespace et
