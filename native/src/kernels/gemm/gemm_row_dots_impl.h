// The row-dot GEMM kernel (Ops::row_dots), written once against kernels/simd/simd.h and compiled
// by gemm_avx2.cc and gemm_avx512.cc: C = A b for a single column b (a matrix-vector product,
// such as a dense layer with one unit), each C[i] the dot product of A's row i with b, vectors
// along k. The packed micro-kernels would fill one of their NR columns (1 lane in 16); here every
// lane of every FMA counts. Four rows share each vector of b, each with two accumulators over
// alternate vectors of k, so eight independent FMA chains hide the FMA latency.
#pragma once

#include "kernels/gemm/gemm.h"
#include "kernels/simd/simd.h"

namespace et {
namespace ET_SIMD_NS {
namespace row_dots {

constexpr int kRows = 4;

// C[i, i + Rows) from rows i.. of A.
template <int Rows>
static void Dots(const gemm::RowDotsArgs& p, int64_t i) {
  VF acc[Rows][2];
#pragma GCC unroll 4
  for (int r = 0; r < Rows; ++r) acc[r][0] = acc[r][1] = Set1(0.0f);
  const float* a = p.a + i * p.lda;
  int64_t q = 0;
  for (; q + 2 * kLanes <= p.k; q += 2 * kLanes) {
    const VF b0 = Load(p.b + q), b1 = Load(p.b + q + kLanes);
#pragma GCC unroll 4
    for (int r = 0; r < Rows; ++r) {
      acc[r][0] = MulAdd(Load(a + r * p.lda + q), b0, acc[r][0]);
      acc[r][1] = MulAdd(Load(a + r * p.lda + q + kLanes), b1, acc[r][1]);
    }
  }
  for (; q < p.k; q += kLanes) {
    const M m = FirstLanes(p.k - q);
    const VF bq = LoadMasked(p.b + q, m);
#pragma GCC unroll 4
    for (int r = 0; r < Rows; ++r) acc[r][0] = MulAdd(LoadMasked(a + r * p.lda + q, m), bq, acc[r][0]);
  }
#pragma GCC unroll 4
  for (int r = 0; r < Rows; ++r) p.c[i + r] = ReduceAdd(Add(acc[r][0], acc[r][1]));
}

// Ops::row_dots.
static void Run(const gemm::RowDotsArgs& p) {
  int64_t i = p.i0;
  for (; i + kRows <= p.i1; i += kRows) Dots<kRows>(p, i);
  for (; i < p.i1; ++i) Dots<1>(p, i);
}

}  // namespace row_dots
}  // namespace ET_SIMD_NS
}  // namespace et
