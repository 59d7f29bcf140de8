// The parts of the AVX2 and AVX-512 GEMM written once against kernels/simd/simd.h and compiled
// by gemm_avx2.cc and gemm_avx512.cc: Ops::compute (each row panel's A, packed or read in place,
// then the ISA's micro-kernels along the column panels) and Ops::transpose. Each ISA passes its
// micro-kernel tables and its in-register block transpose.
#pragma once

#include "kernels/gemm/gemm.h"
#include "kernels/simd/simd.h"

namespace et {
namespace ET_SIMD_NS {
namespace gemm_simd {

// C[0:M, 0:nr] (=|+=) sum_p A[:, p] B[p, :]; see the ISA files' Kernel.
using KernelFn = void (*)(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                          int64_t ldc, int nr, bool accumulate);
// The micro-kernels of one row count, by vectors of columns: fn[NV - 1].
struct KernelRow {
  KernelFn fn[2];
};

// The A panel of rows [i, i + mr) over depth [pc, pc + kc) as the micro-kernels read it: A itself
// (row format, row stride lda, or k-major when A is transposed, step stride lda), or a copy in
// apack, in row format (stride kLdp) or k-major (MR floats per step). *stride gets the distance
// between rows (row format) or steps (k-major).
template <int MR>
static const float* APanel(const gemm::ComputeArgs& p, int64_t i, int mr, int64_t* stride) {
  static_assert(MR <= kLanes, "a k-major step of the panel is one masked vector");
  const int64_t kc = p.kc;
  if (p.a_in_place) {
    *stride = p.lda;
    return p.trans_a ? p.a + p.pc * p.lda + i : p.a + i * p.lda + p.pc;
  }
  if (p.trans_a) {
    *stride = MR;
    // k-major: step k of the panel = a[(pc + k) * lda + i .. + mr].
    const M m = FirstLanes(mr);
    const float* src = p.a + p.pc * p.lda + i;
    for (int64_t k = 0; k < kc; ++k) StoreMasked(p.apack + k * MR, m, LoadMasked(src + k * p.lda, m));
    return p.apack;
  }
  *stride = gemm::kLdp;
  // Row format: row r of the panel = a[(i + r) * lda + pc .. + kc].
  const M tail = FirstLanes(kc % kLanes);
  for (int r = 0; r < mr; ++r) {
    const float* src = p.a + (i + r) * p.lda + p.pc;
    float* dst = p.apack + r * gemm::kLdp;
    int64_t k = 0;
    for (; k + kLanes <= kc; k += kLanes) Store(dst + k, Load(src + k));
    if (k < kc) StoreMasked(dst + k, tail, LoadMasked(src + k, tail));
  }
  return p.apack;
}

// Ops::compute with MR x NR micro-kernels (NR two vectors wide); row_kernels / kmajor_kernels
// hold the kernels for 1..MR rows.
template <int MR, int NR>
static void Compute(const gemm::ComputeArgs& p, const KernelRow* row_kernels, const KernelRow* kmajor_kernels) {
  for (int64_t i = p.i0; i < p.i1; i += MR) {
    const int mr = static_cast<int>(p.i1 - i < MR ? p.i1 - i : MR);
    int64_t a_stride;
    const float* ap = APanel<MR>(p, i, mr, &a_stride);
    const KernelRow& row = (p.trans_a ? kmajor_kernels : row_kernels)[mr - 1];
    float* c = p.c + i * p.ldc;
    const float* bp = p.bpack;
    for (int64_t j = p.j0; j < p.j1; j += NR, bp += p.b_panel_stride) {
      const int nr = static_cast<int>(p.j1 - j < NR ? p.j1 - j : NR);
      row.fn[nr > NR / 2 ? 1 : 0](p.kc, ap, a_stride, bp, p.b_row_stride, c + j, p.ldc, nr, p.accumulate);
    }
  }
}

// Ops::transpose: kLanes x kLanes blocks through registers, masked at the right and bottom edges.
template <void (*TransposeBlock)(VF r[kLanes])>
static void TransposeMatrix(const gemm::TransposeArgs& p) {
  for (int64_t r0 = 0; r0 < p.rows; r0 += kLanes) {
    const int64_t rows = p.rows - r0 < kLanes ? p.rows - r0 : kLanes;
    const M row_mask = FirstLanes(rows);
    for (int64_t c0 = 0; c0 < p.cols; c0 += kLanes) {
      const int64_t cols = p.cols - c0 < kLanes ? p.cols - c0 : kLanes;
      const M col_mask = FirstLanes(cols);
      VF r[kLanes];
      for (int64_t i = 0; i < kLanes; ++i) {
        r[i] = i < rows ? LoadMasked(p.x + (r0 + i) * p.cols + c0, col_mask) : Set1(0.0f);
      }
      TransposeBlock(r);
      for (int64_t j = 0; j < cols; ++j) StoreMasked(p.out + (c0 + j) * p.rows + r0, row_mask, r[j]);
    }
  }
}

}  // namespace gemm_simd
}  // namespace ET_SIMD_NS
}  // namespace et
