// The softmax kernel family's function table: row-wise softmax / log-softmax of a
// [rows, cols] float32 matrix over rows [r0, r1). Compiled per ISA from softmax_impl.h.
#pragma once

#include <stdint.h>

namespace et {

using SoftmaxFn = void (*)(const float* x, float* out, int64_t r0, int64_t r1, int64_t cols);

struct SoftmaxTable {
  SoftmaxFn softmax;
  SoftmaxFn log_softmax;
};

namespace scalar { const SoftmaxTable* GetSoftmaxTable(); }
namespace avx2 { const SoftmaxTable* GetSoftmaxTable(); }
namespace avx512 { const SoftmaxTable* GetSoftmaxTable(); }

}  // namespace et
