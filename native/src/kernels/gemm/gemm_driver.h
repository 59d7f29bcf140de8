// Entry point of the GEMM driver (baseline code only; never include from ISA units).
#pragma once

#include <stdint.h>

namespace et {
namespace gemm {

// c[bi] = op(a[bi]) x op(b[bi]) for bi in [0, batch); see gemm() in src/backend/native/addon.ts.
struct Problem {
  int64_t batch, m, n, k;
  bool trans_a, trans_b;
  int64_t a_batch_stride, b_batch_stride;  // elements; 0 broadcasts one matrix
};

// Arguments must already be validated (buffers long enough, sizes consistent). May throw
// std::bad_alloc (scratch allocation happens before any thread starts working).
void Run(const Problem& pr, const float* a, const float* b, float* c);

}  // namespace gemm
}  // namespace et
