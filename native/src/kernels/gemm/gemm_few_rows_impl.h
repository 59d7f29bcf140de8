// The few-rows GEMM kernels (Ops::few_rows), written once against kernels/simd/simd.h and
// compiled by gemm_avx2.cc and gemm_avx512.cc. Batch-1 inference is one row: A and B are read
// in place, 4 vectors of columns per pass, each B vector loaded serving every row; for the first
// kTwoSetRows rows counts, two sets of accumulators over alternate steps of k keep enough
// independent FMA chains in flight to hide the FMA latency. The set count depends on the row
// count only, so a column's sum runs in the same order however the columns are grouped.
#pragma once

#include "kernels/gemm/gemm.h"
#include "kernels/simd/simd.h"

namespace et {
namespace ET_SIMD_NS {
namespace few_rows {

// What fits the vector registers (32 zmm, 16 ymm) with 4 vectors of columns per row.
constexpr int kMaxRows = kLanes == 16 ? 4 : 2;
constexpr int kTwoSetRows = kLanes == 16 ? 2 : 1;
constexpr int kVectors = 4;
// Rows of B ahead to prefetch: B streams from L2, one row per k step.
constexpr int64_t kPrefetchRows = 16;

// C[0:Rows, j:j + width] for width <= kLanes * NV.
template <int Rows, int NV>
static void Block(const gemm::FewRowsArgs& p, int64_t j, int64_t width) {
  constexpr int U = Rows <= kTwoSetRows ? 2 : 1;
  M mask[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) mask[v] = FirstLanes(width - kLanes * v);
  VF acc[U][Rows][NV];
#pragma GCC unroll 4
  for (int u = 0; u < U; ++u) {
#pragma GCC unroll 4
    for (int r = 0; r < Rows; ++r) {
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[u][r][v] = Set1(0.0f);
    }
  }
  const float* b = p.b + j;
  auto step = [&](int u, int64_t q) {
    const float* bq = b + q * p.ldb;
    VF bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      Prefetch(bq + kPrefetchRows * p.ldb + kLanes * v);
      bv[v] = LoadMasked(bq + kLanes * v, mask[v]);
    }
#pragma GCC unroll 4
    for (int r = 0; r < Rows; ++r) {
      const VF ar = Set1(p.a[r * p.lda + q]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[u][r][v] = MulAdd(ar, bv[v], acc[u][r][v]);
    }
  };
  int64_t q = 0;
  for (; q + U <= p.k; q += U) {
#pragma GCC unroll 2
    for (int u = 0; u < U; ++u) step(u, q + u);
  }
  for (; q < p.k; ++q) step(0, q);
#pragma GCC unroll 4
  for (int r = 0; r < Rows; ++r) {
    float* cr = p.c + r * p.ldc + j;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      StoreMasked(cr + kLanes * v, mask[v], U > 1 ? Add(acc[0][r][v], acc[U - 1][r][v]) : acc[0][r][v]);
    }
  }
}

using BlockFn = void (*)(const gemm::FewRowsArgs&, int64_t, int64_t);

// The block for `rows` (<= Rows) rows and `vectors` vectors of columns.
template <int Rows>
static BlockFn BlockFor(int64_t rows, int vectors) {
  if constexpr (Rows > 1) {
    if (rows < Rows) return BlockFor<Rows - 1>(rows, vectors);
  }
  static constexpr BlockFn kByVectors[kVectors] = {Block<Rows, 1>, Block<Rows, 2>, Block<Rows, 3>, Block<Rows, 4>};
  return kByVectors[vectors - 1];
}

// Ops::few_rows: C[0:m, j0:j1] pass by pass.
static void Run(const gemm::FewRowsArgs& p) {
  constexpr int64_t pass = kLanes * kVectors;
  for (int64_t j = p.j0; j < p.j1; j += pass) {
    const int64_t width = j + pass <= p.j1 ? pass : p.j1 - j;
    BlockFor<kMaxRows>(p.m, static_cast<int>((width + kLanes - 1) / kLanes))(p, j, width);
  }
}

}  // namespace few_rows
}  // namespace ET_SIMD_NS
}  // namespace et
