// The dense layer's backward elementwise kernel: the gradient at the pre-activation from the
// gradient at the output and the output itself. Compiled per ISA from dense_grad_impl.h;
// dense_binding.cc splits rows across threads and picks the table. Plain C++ only.
#pragma once

#include <stdint.h>

#include "kernels/dense/activation.h"

namespace et {

// dz[i] = dy[i] * act'(x[i]) for i in [0, n), act' written in terms of the output y = act(x).
using ActivationGradientFn = void (*)(const float* dy, const float* y, float* dz, int64_t n, float alpha);

struct DenseGradTable {
  ActivationGradientFn activation_gradient[kNumFusedActivations];  // null for kLinear: dz is dy
};

namespace scalar { const DenseGradTable* GetDenseGradTable(); }
namespace avx2 { const DenseGradTable* GetDenseGradTable(); }
namespace avx512 { const DenseGradTable* GetDenseGradTable(); }

}  // namespace et
