// The GEMM family's shared description: blocking constants, the packed-operand layouts and the
// per-ISA operation tables the baseline driver (gemm.cc) calls.
//
// Layout (Goto / BLIS style, C += op(A) op(B), row-major):
//  * op(B) is cut into blocks of kc rows x nc columns and packed into NR-wide column panels:
//    panel q holds columns [q*NR, q*NR + NR) as kc rows of NR contiguous floats (zero padded
//    past the matrix edge), panels one after the other (stride kc*NR floats), 64-byte aligned.
//  * op(A) is packed one MR-row panel at a time, right before use, or a chunk of up to
//    kChunkPanels panels at once (kept for several column blocks), in one of two layouts:
//    - row format (A not transposed): row r of the panel at apack + r*kLdp, kc floats each;
//    - k-major format (A transposed): step p of the panel at apack + p*MR, MR floats each.
//    Both make every A element of a k-step reachable at a compile-time offset.
//  * The micro-kernel holds an MR x NR tile of C in registers, broadcasts A, loads B, FMAs, and
//    stores with masks at the right / bottom edges (never touching C outside [m, n)).
//
// This header includes no library headers on purpose: the ISA translation units include it.
#pragma once

#include <stdint.h>

namespace et {
namespace gemm {

// Depth of one packed block (rows of op(B) / columns of op(A)). C is read and written once per
// depth block: 512 halves those passes against 256 (same-run A/B, 1 and 2 threads: 2048^3,
// 1024^3, 512^3 and 64x1024x512 1-3 % faster, 256^3 unchanged).
constexpr int64_t kKc = 512;
// Row stride of a row-format A panel: kKc plus one cache line keeps the rows of a panel in
// different L1 sets.
constexpr int64_t kLdp = kKc + 16;
// Columns of op(B) per packed block: the block, kKc x kNc floats (512 KiB), lives in L2.
constexpr int64_t kNc = 256;
// Largest MR of any ISA; A panel scratch is sized for it.
constexpr int64_t kMaxMr = 16;
// Floats of one packed A panel (any ISA); the panels of a chunk lie this far apart.
constexpr int64_t kApanelFloats = kMaxMr * kLdp + 64;
// Row panels whose packed A is kept across a stripe's column blocks: 8 x 14 rows of 512 floats
// (about 230 KB) stay in L2 beside the packed B block.
constexpr int64_t kChunkPanels = 8;
// Floats of A scratch every ISA's Compute may use.
constexpr int64_t kAScratchFloats = kChunkPanels * kApanelFloats;

// How Compute gets the A panels of rows [i0, i1).
enum class APanels {
  kPackEach,   // packs each panel into apack right before its micro-kernels
  kPackOnly,   // packs every panel (panel t at apack + t * kApanelFloats) and computes nothing
  kPrepacked,  // reads the panels a kPackOnly call left in apack
  kInPlace,    // reads A itself (its rows, or when transposed its k-steps)
};

// Pack columns [j0, j0 + ncols) of rows [pc, pc + kc) of op(B) into ceil(ncols / NR) panels
// at out (64-byte aligned). op(B)[p][j] = trans ? b[j*ldb + p] : b[p*ldb + j].
struct PackBArgs {
  const float* b;
  int64_t ldb;
  bool trans;
  int64_t pc, kc;
  int64_t j0, ncols;
  float* out;
};

// C[i0:i1, j0:j1] (=|+=) op(A)[i0:i1, pc:pc+kc] x B, B given as panels of NR columns: panel q
// starts at bpack + q * b_panel_stride and its step p at + p * b_row_stride (packed panels:
// kc*NR and NR; or op(B) read in place when it is b itself: NR and ldb, full panels only).
// op(A)[i][p] = trans_a ? a[p*lda + i] : a[i*lda + p]. accumulate = false overwrites C.
// a_panels says where the A panels come from (kPackOnly / kPrepacked: at most kChunkPanels
// panels of rows). apack: kAScratchFloats floats of 64-byte aligned scratch owned by the
// calling thread.
struct ComputeArgs {
  const float* a;
  int64_t lda;
  bool trans_a;
  int64_t pc, kc;
  int64_t i0, i1;
  const float* bpack;
  int64_t b_panel_stride, b_row_stride;
  int64_t j0, j1;
  float* c;
  int64_t ldc;
  bool accumulate;
  APanels a_panels;
  float* apack;
};

// The A panel t (rows [i, i + MR) at most) of a Compute call, as its micro-kernels read it, with
// *stride the distance between its rows (row format) or steps (k-major). pack(dst) packs the
// panel into dst in the layout for args.trans_a (row format: stride kLdp; k-major: MR).
template <int MR, typename Pack>
const float* ComputeAPanel(const ComputeArgs& args, int64_t i, int64_t t, int64_t* stride, Pack pack) {
  if (args.a_panels == APanels::kInPlace) {
    *stride = args.lda;
    return args.trans_a ? args.a + args.pc * args.lda + i : args.a + i * args.lda + args.pc;
  }
  *stride = args.trans_a ? MR : kLdp;
  float* panel = args.a_panels == APanels::kPackEach ? args.apack : args.apack + t * kApanelFloats;
  if (args.a_panels != APanels::kPrepacked) pack(panel);
  return panel;
}

// C[0:m, j0:j1] = A B for a few rows m (at most Ops::few_rows_max), both operands row-major and
// read in place: no packing, whose cost a few rows cannot repay (batch-1 inference is one row).
// A is m x k (row stride lda), B k x n (ldb), C m x n (ldc).
struct FewRowsArgs {
  const float* a;
  int64_t lda;
  const float* b;
  int64_t ldb;
  float* c;
  int64_t ldc;
  int64_t m, k;
  int64_t j0, j1;
};

// c[i] = A[i, 0:k] . b for rows [i0, i1): A row-major (row stride lda), b and c contiguous.
struct RowDotsArgs {
  const float* a;
  int64_t lda;
  const float* b;
  float* c;
  int64_t k;
  int64_t i0, i1;
};

// out = x^T: x is rows x cols, row-major; out is cols x rows.
struct TransposeArgs {
  const float* x;
  int64_t rows, cols;
  float* out;
};

struct Ops {
  int mr;
  int nr;
  void (*pack_b)(const PackBArgs& args);
  void (*compute)(const ComputeArgs& args);
  // Largest m few_rows takes (0: none, the packed path serves every m).
  int64_t few_rows_max;
  void (*few_rows)(const FewRowsArgs& args);
  // Columns of one SIMD vector: where few_rows may split C's columns between threads (each
  // column's sum runs in the same order however the columns are grouped).
  int64_t few_rows_split;
  void (*transpose)(const TransposeArgs& args);
  // C = A b for one column (see RowDotsArgs).
  void (*row_dots)(const RowDotsArgs& args);
};

}  // namespace gemm

namespace gemm_scalar {
const gemm::Ops* GetOps();
}
namespace gemm_avx2 {
const gemm::Ops* GetOps();
}
namespace gemm_avx512 {
const gemm::Ops* GetOps();
}

}  // namespace et
