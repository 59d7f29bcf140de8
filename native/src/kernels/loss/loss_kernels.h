// The fused-loss kernel family's function table. Compiled per ISA from loss_impl.h.
#pragma once

#include <stdint.h>

namespace et {

// For rows [r0, r1) of logits [rows, cols] and labels in [0, cols): loss[r] =
// logSumExp(logits[r]) - logits[r, label] and grad[r] = (softmax(logits[r]) - onehot(label)) * grad_scale.
using SparseSoftmaxXentFn = void (*)(const float* logits, const int32_t* labels, float* loss, float* grad,
                                     int64_t r0, int64_t r1, int64_t cols, float grad_scale);

struct LossTable {
  SparseSoftmaxXentFn sparse_softmax_xent;
};

namespace scalar { const LossTable* GetLossTable(); }
namespace avx2 { const LossTable* GetLossTable(); }
namespace avx512 { const LossTable* GetLossTable(); }

}  // namespace et
