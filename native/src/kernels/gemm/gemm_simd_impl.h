// The parts of the AVX2 and AVX-512 GEMM written once against kernels/simd/simd.h and compiled
// by gemm_avx2.cc and gemm_avx512.cc: Ops::compute (each row panel's A, packed or read in place,
// then the ISA's micro-kernels along the column panels), the packing of a row-major B and
// Ops::transpose. Each ISA passes its micro-kernel tables and its in-register block transpose.
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

// The k-major panels of rows [i0, i1) of op(A) = a^T over the call's depth (panel t at dst + t *
// kApanelFloats; one panel when i1 - i0 <= MR), one step at a time: a step's rows are contiguous
// in A^T, so each is read once, in order, and spread over the panels. Packing a chunk panel by
// panel read every line of A^T once per panel (lda apart, the lines of a panel's steps shared L1
// sets and were gone by the next).
template <int MR>
static void PackKMajorPanels(const gemm::ComputeArgs& p, int64_t i0, int64_t i1, float* dst) {
  static_assert(MR <= kLanes, "a k-major step of a panel is one masked vector");
  const int64_t rows = i1 - i0;
  const int64_t full = rows / MR;
  const M all = FirstLanes(MR), rest = FirstLanes(rows - full * MR);
  for (int64_t k = 0; k < p.kc; ++k) {
    const float* src = p.a + (p.pc + k) * p.lda + i0;
    float* step = dst + k * MR;
    int64_t t = 0;
    for (; t < full; ++t) StoreMasked(step + t * gemm::kApanelFloats, all, LoadMasked(src + t * MR, all));
    if (t * MR < rows) StoreMasked(step + t * gemm::kApanelFloats, rest, LoadMasked(src + t * MR, rest));
  }
}

// Panel rows [i, i + mr) of op(A) over depth [pc, pc + kc), packed into dst: row format (row r
// at dst + r * kLdp) or, when A is transposed, k-major (step k at dst + k * MR).
template <int MR>
static void PackAPanel(const gemm::ComputeArgs& p, int64_t i, int mr, float* dst) {
  const int64_t kc = p.kc;
  if (p.trans_a) {
    PackKMajorPanels<MR>(p, i, i + mr, dst);
    return;
  }
  const M tail = FirstLanes(kc % kLanes);
  for (int r = 0; r < mr; ++r) {
    const float* src = p.a + (i + r) * p.lda + p.pc;
    float* row = dst + r * gemm::kLdp;
    int64_t k = 0;
    for (; k + kLanes <= kc; k += kLanes) Store(row + k, Load(src + k));
    if (k < kc) StoreMasked(row + k, tail, LoadMasked(src + k, tail));
  }
}

// Ops::pack_b for op(B) = b (k x n, row-major), NR two vectors wide: kPackBRows rows of b at a
// time, panel by panel, so each visit to a panel fills kPackBRows x NR contiguous floats. Row by
// row (each row's chunks scattered to every panel, kc * NR floats apart) the panels' current
// lines all fell in the same L1 sets and were evicted half-written: B's packing took 31 % of
// 64x1024x512, and the product ran 22 % faster once blocked (same-run A/B, 4 to 16 rows alike).
constexpr int64_t kPackBRows = 8;

template <int NR>
static void PackBRows(const gemm::PackBArgs& p) {
  static_assert(NR == 2 * kLanes, "a panel row is two vectors");
  const int64_t panel_stride = p.kc * NR;
  for (int64_t k0 = 0; k0 < p.kc; k0 += kPackBRows) {
    const int64_t rows = p.kc - k0 < kPackBRows ? p.kc - k0 : kPackBRows;
    const float* src0 = p.b + (p.pc + k0) * p.ldb + p.j0;
    float* dst0 = p.out + k0 * NR;
    int64_t j = 0;
    for (; j + NR <= p.ncols; j += NR) {
      float* dst = dst0 + j / NR * panel_stride;
      for (int64_t r = 0; r < rows; ++r) {
        const float* src = src0 + r * p.ldb + j;
        Store(dst + r * NR, Load(src));
        Store(dst + r * NR + kLanes, Load(src + kLanes));
      }
    }
    if (j < p.ncols) {
      const M m0 = FirstLanes(p.ncols - j), m1 = FirstLanes(p.ncols - j - kLanes);
      float* dst = dst0 + j / NR * panel_stride;
      for (int64_t r = 0; r < rows; ++r) {
        const float* src = src0 + r * p.ldb + j;
        Store(dst + r * NR, LoadMasked(src, m0));
        Store(dst + r * NR + kLanes, LoadMasked(src + kLanes, m1));
      }
    }
  }
}

// Ops::compute with MR x NR micro-kernels (NR two vectors wide); row_kernels / kmajor_kernels
// hold the kernels for 1..MR rows.
template <int MR, int NR>
static void Compute(const gemm::ComputeArgs& p, const KernelRow* row_kernels, const KernelRow* kmajor_kernels) {
  if (p.a_panels == gemm::APanels::kPackOnly && p.trans_a) {
    PackKMajorPanels<MR>(p, p.i0, p.i1, p.apack);
    return;
  }
  int64_t t = 0;
  for (int64_t i = p.i0; i < p.i1; i += MR, ++t) {
    const int mr = static_cast<int>(p.i1 - i < MR ? p.i1 - i : MR);
    int64_t a_stride;
    const float* ap = gemm::ComputeAPanel<MR>(p, i, t, &a_stride, [&](float* dst) { PackAPanel<MR>(p, i, mr, dst); });
    if (p.a_panels == gemm::APanels::kPackOnly) continue;
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
