// GEMM driver (baseline code): picks the active ISA's operations, packs op(B) once per matrix,
// hands tiles of C to the thread pool (or splits a batch by matrix) and keeps per-thread packing
// scratch. Also holds the portable (scalar) operations: a 4 x 8 register-blocked micro-kernel in
// plain C++ (auto-vectorised at the baseline ISA) with the same packed layouts as the SIMD paths.
#include "kernels/gemm/gemm_driver.h"

#include <cstring>
#include <vector>

#include "cpu/cpu_features.h"
#include "cpu/scratch.h"
#include "cpu/thread_pool.h"
#include "kernels/gemm/gemm.h"

namespace et {

// ---------------------------------------------------------------------------------------------
// Scalar operations.
namespace gemm_scalar {
namespace {

using gemm::kLdp;
constexpr int kMr = 4;
constexpr int kNr = 8;

inline int64_t Min64(int64_t a, int64_t b) { return a < b ? a : b; }

template <int M, bool KMajor>
void Kernel(int64_t kc, const float* __restrict a, int64_t lda, const float* __restrict b, int64_t ldb,
            float* __restrict c, int64_t ldc, int nr, bool accumulate) {
  float acc[M][kNr];
  for (int i = 0; i < M; ++i) {
    for (int j = 0; j < kNr; ++j) acc[i][j] = 0.0f;
  }
  for (int64_t p = 0; p < kc; ++p) {
    for (int i = 0; i < M; ++i) {
      const float ai = KMajor ? a[i] : a[i * lda];
      for (int j = 0; j < kNr; ++j) acc[i][j] += ai * b[j];
    }
    b += ldb;
    a += KMajor ? lda : 1;
  }
  for (int i = 0; i < M; ++i) {
    float* ci = c + i * ldc;
    if (accumulate) {
      for (int j = 0; j < nr; ++j) ci[j] += acc[i][j];
    } else {
      for (int j = 0; j < nr; ++j) ci[j] = acc[i][j];
    }
  }
}

using KernelFn = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t, int, bool);
const KernelFn kRowKernels[kMr] = {Kernel<1, false>, Kernel<2, false>, Kernel<3, false>, Kernel<4, false>};
const KernelFn kKMajorKernels[kMr] = {Kernel<1, true>, Kernel<2, true>, Kernel<3, true>, Kernel<4, true>};

void PackB(const gemm::PackBArgs& p) {
  const int64_t kc = p.kc;
  for (int64_t j = 0, q = 0; j < p.ncols; j += kNr, ++q) {
    const int64_t nr = Min64(kNr, p.ncols - j);
    float* dst = p.out + q * kc * kNr;
    for (int64_t k = 0; k < kc; ++k) {
      float* d = dst + k * kNr;
      if (!p.trans) {
        const float* src = p.b + (p.pc + k) * p.ldb + p.j0 + j;
        for (int64_t jj = 0; jj < nr; ++jj) d[jj] = src[jj];
      } else {
        const float* src = p.b + (p.j0 + j) * p.ldb + p.pc + k;
        for (int64_t jj = 0; jj < nr; ++jj) d[jj] = src[jj * p.ldb];
      }
      for (int64_t jj = nr; jj < kNr; ++jj) d[jj] = 0.0f;
    }
  }
}

// Panel rows [i, i + mr) of op(A) over the call's depth, packed into dst (see gemm.h).
void PackAPanel(const gemm::ComputeArgs& p, int64_t i, int mr, float* dst) {
  if (p.trans_a) {
    for (int64_t k = 0; k < p.kc; ++k) {
      const float* src = p.a + (p.pc + k) * p.lda + i;
      for (int r = 0; r < mr; ++r) dst[k * kMr + r] = src[r];
    }
    return;
  }
  for (int r = 0; r < mr; ++r) {
    std::memcpy(dst + r * kLdp, p.a + (i + r) * p.lda + p.pc, static_cast<size_t>(p.kc) * sizeof(float));
  }
}

void Compute(const gemm::ComputeArgs& p) {
  const int64_t kc = p.kc;
  int64_t t = 0;
  for (int64_t i = p.i0; i < p.i1; i += kMr, ++t) {
    const int mr = static_cast<int>(Min64(kMr, p.i1 - i));
    int64_t a_stride;
    const float* ap = gemm::ComputeAPanel<kMr>(p, i, t, &a_stride, [&](float* dst) { PackAPanel(p, i, mr, dst); });
    if (p.a_panels == gemm::APanels::kPackOnly) continue;
    const KernelFn fn = p.trans_a ? kKMajorKernels[mr - 1] : kRowKernels[mr - 1];
    float* c = p.c + i * p.ldc;
    const float* bp = p.bpack;
    for (int64_t j = p.j0; j < p.j1; j += kNr, bp += p.b_panel_stride) {
      fn(kc, ap, a_stride, bp, p.b_row_stride, c + j, p.ldc, static_cast<int>(Min64(kNr, p.j1 - j)), p.accumulate);
    }
  }
}

void Transpose(const gemm::TransposeArgs& p) {
  for (int64_t i = 0; i < p.rows; ++i) {
    for (int64_t j = 0; j < p.cols; ++j) p.out[j * p.rows + i] = p.x[i * p.cols + j];
  }
}

void RowDots(const gemm::RowDotsArgs& p) {
  for (int64_t i = p.i0; i < p.i1; ++i) {
    const float* a = p.a + i * p.lda;
    float sum = 0.0f;
    for (int64_t q = 0; q < p.k; ++q) sum += a[q] * p.b[q];
    p.c[i] = sum;
  }
}

const gemm::Ops kOps = {kMr, kNr, PackB, Compute, 0, nullptr, 1, Transpose, RowDots};

}  // namespace

const gemm::Ops* GetOps() { return &kOps; }

}  // namespace gemm_scalar

// ---------------------------------------------------------------------------------------------
// Driver.
//
// Per matrix: (1) op(B) is packed once, whole (or in column stripes when huge), into panels
// shared by all threads; (2) tiles of C (chunks of row panels, and column ranges when there are
// few rows) are handed out dynamically, each tile looping over (nc, kc) blocks and packing its
// own A panels. Two parallel regions per matrix (stripe), so a thread that loses its core stalls
// the others at most twice. Batches of small matrices are instead split by matrix.
namespace gemm {
namespace {

// Total work (multiply-adds over the whole batch) below which a call runs on the calling thread:
// about 20 us of one core's work. Below it, waking the pool and the workers' spinning after the
// job cost the caller more than the split saves (training the documents' MLP at batch 32, whose
// GEMMs are 1.6M multiply-adds, ran 1.4-2x faster once they stopped going parallel).
constexpr double kParallelWork = 128.0 * 128.0 * 128.0;
// Smallest work worth a task of its own when a matrix is split into tiles.
constexpr double kMinTaskWork = 48.0 * 48.0 * 48.0;
// Tasks per thread to aim for: dynamic hand-out evens out uneven tiles and threads that lose
// their core for a while (the machine may be shared).
constexpr int64_t kTasksPerThread = 8;
// Row panels per tile at least: a tile reuses each packed B block (from L2) that many times.
constexpr int64_t kMinTilePanels = 3;
// Column panels per tile at least when columns are split.
constexpr int64_t kMinTileColumnPanels = 4;
// Packed B is at most this many floats (16 MiB, kept per calling thread for reuse); wider
// matrices are done in column stripes. Each stripe reads all of A again, each row chunk all of
// the stripe's packed depth block: 2048^3 ran 3-4 % faster with one 16 MiB stripe than with four
// of 4 MiB, 5-8 % slower with 32 MiB before A chunks were kept (see RunTile).
constexpr int64_t kMaxPackedB = int64_t{4} << 20;
// op(B) = b is read in place, unpacked, when C has at most this many rows, or when B has at most
// kDirectBFloats elements (64 KiB: it stays in L1 / L2 however many row panels read it).
constexpr int64_t kDirectRows = 48;
constexpr int64_t kDirectBFloats = int64_t{1} << 14;
// op(A) = a is read in place, unpacked, when C has at most this many column panels.
constexpr int64_t kInPlaceAPanels = 4;
// Packed B smaller than this is packed by the calling thread alone (one parallel region fewer:
// each region ends with a wait for every worker, costly when the cores are oversubscribed).
constexpr int64_t kParallelPack = int64_t{1} << 17;

const Ops& ActiveOps() {
  switch (ActiveIsa()) {
    case Isa::kAvx512: return *gemm_avx512::GetOps();
    case Isa::kAvx2: return *gemm_avx2::GetOps();
    default: return *gemm_scalar::GetOps();
  }
}

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t RoundUp(int64_t a, int64_t b) { return CeilDiv(a, b) * b; }
int64_t Min(int64_t a, int64_t b) { return a < b ? a : b; }
int64_t Max(int64_t a, int64_t b) { return a > b ? a : b; }

struct ThreadScratch {
  Scratch<float> a;   // packed A panels (one, or a chunk of them)
  Scratch<float> b;   // packed op(B) of one matrix (stripe)
  Scratch<float> ct;  // C^T of one matrix when it is computed transposed (see Run)
};

// Owned by the calling (JS) thread, indexed by the pool's thread_index; allocated before any
// parallel region so workers never allocate.
thread_local std::vector<ThreadScratch> tls_scratch;
// For a thread_index past the preallocated slots (only if another JS thread grew the pool in
// the middle of this call): the worker's own scratch, allocated on first use.
thread_local ThreadScratch tls_overflow_scratch;

struct Slots {
  ThreadScratch* data;
  int count;
  ThreadScratch& operator[](int th) const { return th < count ? data[th] : tls_overflow_scratch; }
};

// Depth per packed block: the fewest blocks of at most kKc, evened out.
int64_t ChooseKc(int64_t k) { return Min(kKc, RoundUp(CeilDiv(k, CeilDiv(k, kKc)), 8)); }

// Columns per stripe of packed B (a multiple of NR, or all of n).
int64_t StripeWidth(const Ops& ops, int64_t n, int64_t k) {
  const int64_t npad = RoundUp(n, ops.nr);
  if (k * npad <= kMaxPackedB) return n;
  return Max(ops.nr, kMaxPackedB / k / ops.nr * ops.nr);
}

int64_t PackedBFloats(const Ops& ops, int64_t n, int64_t k) { return k * RoundUp(StripeWidth(ops, n, k), ops.nr); }

struct Matrix {
  const float* a;
  const float* b;
  float* c;
};

// op(B) for columns [j0, j1), packed: block of depth rows [pc, pc + kc) starts at
// data + pc * npanels * NR, its panel q at + q * kc * NR. Direct (op(B) = b, few rows of C):
// the full panels are read from b in place and only the partial last panel is packed, as a
// one-panel layout (block pc at data + pc * NR).
struct PackedB {
  float* data;
  int64_t j0, j1, npanels, kc;
  bool direct;
  int64_t jfull;  // direct: end of the full panels
};

void PackStripe(const Ops& ops, const Problem& pr, const Matrix& mat, const PackedB& pb, int threads) {
  const int64_t k = pr.k;
  const int64_t ldb = pr.trans_b ? k : pr.n;
  const int64_t kblocks = CeilDiv(k, pb.kc);
  if (pb.direct) {
    if (pb.jfull == pb.j1) return;
    for (int64_t pc = 0; pc < k; pc += pb.kc) {
      ops.pack_b(PackBArgs{mat.b, ldb, false, pc, Min(pb.kc, k - pc), pb.jfull, pb.j1 - pb.jfull,
                           pb.data + pc * ops.nr});
    }
    return;
  }
  const int64_t floats = k * pb.npanels * ops.nr;
  int64_t groups = 1;
  if (threads > 1 && floats >= kParallelPack) {
    groups = Min(pb.npanels, CeilDiv(kTasksPerThread * threads, kblocks));
  }
  auto unit = [&](int64_t u, int) {
    const int64_t blk = u / groups, g = u % groups;
    const int64_t pc = blk * pb.kc, kc = Min(pb.kc, k - pc);
    const int64_t q0 = pb.npanels * g / groups, q1 = pb.npanels * (g + 1) / groups;
    if (q0 == q1) return;
    const int64_t j = pb.j0 + q0 * ops.nr;
    ops.pack_b(PackBArgs{mat.b, ldb, pr.trans_b, pc, kc, j, Min(pb.j1, pb.j0 + q1 * ops.nr) - j,
                         pb.data + pc * pb.npanels * ops.nr + q0 * kc * ops.nr});
  };
  if (groups * kblocks > 1 && threads > 1) {
    ParallelTaskEach(groups * kblocks, unit);
  } else {
    for (int64_t u = 0; u < groups * kblocks; ++u) unit(u, 0);
  }
}

// Tiles of C: mt chunks of row panels x nt chunks of column panels. Chunks of rows are equal, or
// guided when only rows are split across threads: each chunk takes 1 / guided_share of the row
// panels still left (at least kMinTilePanels), so the chunks shrink as they go. A tile reads each
// packed B block from L3 for its first row panel and from L2 for the others: tall chunks first
// make that cold read rare, and the small ones at the end still even out a thread that lost its
// core for a while.
struct Grid {
  int64_t mt, nt, mpanels, npanels;
  int64_t guided_share;  // 0: equal chunks

  // First row panel of chunk tm (tm = mt: mpanels).
  int64_t RowPanelStart(int64_t tm) const {
    if (guided_share == 0) return mpanels * tm / mt;
    int64_t start = 0;
    for (int64_t t = 0; t < tm && start < mpanels; ++t) {
      start += Max(kMinTilePanels, CeilDiv(mpanels - start, guided_share));
    }
    return Min(start, mpanels);
  }
};

Grid ChooseGrid(const Ops& ops, int64_t m, int64_t width, int64_t k, int threads) {
  Grid g{1, 1, CeilDiv(m, ops.mr), CeilDiv(width, ops.nr), 0};
  if (threads <= 1) return g;
  const double work = static_cast<double>(m) * static_cast<double>(width) * static_cast<double>(k);
  int64_t want = kTasksPerThread * threads;
  const double cap = work / kMinTaskWork;
  if (static_cast<double>(want) > cap) want = Max(1, static_cast<int64_t>(cap));
  g.mt = Max(1, Min(want, g.mpanels / kMinTilePanels));
  if (g.mt < want) g.nt = Max(1, Min(CeilDiv(want, g.mt), g.npanels / kMinTileColumnPanels));
  // Too few tiles for the threads: cut finer, down to single panels.
  if (g.mt * g.nt < threads && want >= threads) {
    g.mt = Min(g.mpanels, Max(g.mt, threads));
    if (g.mt * g.nt < threads) g.nt = Min(g.npanels, CeilDiv(threads, g.mt));
  }
  if (g.nt == 1 && g.mt >= threads) {
    g.guided_share = 2 * threads;
    g.mt = 0;
    while (g.RowPanelStart(g.mt) < g.mpanels) ++g.mt;
  }
  return g;
}

// C[i0:i1, j0:j1] of one matrix from the packed stripe. Depth blocks outermost; within one, when
// the columns span several nc blocks, rows go in chunks of kChunkPanels panels whose A is packed
// once and kept (in L2) for every column block, instead of packed again per block: A is then read
// from memory once per depth block. Same-run A/B, 1 thread: 2048^3 +3.8 %, 1024^3 TN +1.9 %.
void RunTile(const Ops& ops, const Problem& pr, const Matrix& mat, const PackedB& pb, bool a_in_place, int64_t i0,
             int64_t i1, int64_t j0, int64_t j1, float* apack) {
  const int64_t k = pr.k;
  const int64_t lda = pr.trans_a ? pr.m : k;
  const int64_t nc_max = RoundUp(kNc, ops.nr);
  const bool keep_a = !a_in_place && j1 - j0 > nc_max;
  const int64_t chunk = keep_a ? kChunkPanels * ops.mr : i1 - i0;
  const APanels panels = a_in_place ? APanels::kInPlace : keep_a ? APanels::kPrepacked : APanels::kPackEach;
  for (int64_t pc = 0; pc < k; pc += pb.kc) {
    const int64_t kc = Min(pb.kc, k - pc);
    for (int64_t ic = i0; ic < i1; ic += chunk) {
      const int64_t ie = Min(i1, ic + chunk);
      const ComputeArgs rows{mat.a, lda, pr.trans_a, pc, kc, ic, ie, nullptr, kc * ops.nr, ops.nr, j0, j0, mat.c,
                             pr.n, pc > 0, panels, apack};
      if (keep_a) {
        ComputeArgs pack = rows;
        pack.a_panels = APanels::kPackOnly;
        ops.compute(pack);
      }
      for (int64_t jc = j0; jc < j1; jc += nc_max) {
        const int64_t jc_end = Min(j1, jc + nc_max);
        ComputeArgs ca = rows;
        ca.j0 = jc;
        ca.j1 = jc_end;
        if (!pb.direct) {
          ca.bpack = pb.data + pc * pb.npanels * ops.nr + (jc - pb.j0) / ops.nr * kc * ops.nr;
          ops.compute(ca);
          continue;
        }
        const int64_t split = Min(jc_end, pb.jfull);
        if (jc < split) {  // full panels straight from b
          ComputeArgs full = ca;
          full.bpack = mat.b + pc * pr.n + jc;
          full.b_panel_stride = ops.nr;
          full.b_row_stride = pr.n;
          full.j1 = split;
          ops.compute(full);
        }
        if (split < jc_end) {  // the packed partial panel
          ca.bpack = pb.data + pc * ops.nr;
          ca.j0 = split;
          ops.compute(ca);
        }
      }
    }
  }
}

// Few enough rows that a matrix's tiles only split columns (see ChooseGrid).
bool FewRowPanels(const Ops& ops, int64_t m) { return CeilDiv(m, ops.mr) < 2 * kMinTilePanels; }

// Few rows of C use each element of B only a few times, and a small B stays in cache: packing
// would cost about as much as it saves. Strides that are multiples of 1 KiB would alias in the
// caches: pack those.
bool ReadBInPlace(const Problem& pr) {
  return !pr.trans_b && (pr.m <= kDirectRows || pr.k * pr.n <= kDirectBFloats) && (pr.n * 4) % 1024 != 0;
}

// Few columns (width of them) use each element of A only a few times: read it in place (same
// aliasing rule, on A's row stride: k, or m when A is transposed).
bool ReadAInPlace(const Ops& ops, const Problem& pr, int64_t width) {
  return CeilDiv(width, ops.nr) <= kInPlaceAPanels && ((pr.trans_a ? pr.m : pr.k) * 4) % 1024 != 0;
}

// One matrix: on the calling thread (threads == 1, using scratch[th]) or across the pool.
void RunMatrix(const Ops& ops, const Problem& pr, const Matrix& mat, const Slots& scratch, int th, int threads) {
  const int64_t m = pr.m, n = pr.n, k = pr.k;
  const int64_t stripe = StripeWidth(ops, n, k);
  float* bdata = scratch[th].b.Get(PackedBFloats(ops, n, k));  // preallocated
  for (int64_t j0 = 0; j0 < n; j0 += stripe) {
    const int64_t j1 = Min(n, j0 + stripe);
    PackedB pb{bdata, j0, j1, CeilDiv(j1 - j0, ops.nr), ChooseKc(k), false, j1};
    if (ReadBInPlace(pr)) {
      pb.direct = true;
      pb.jfull = j0 + (j1 - j0) / ops.nr * ops.nr;
    }
    const bool a_in_place = ReadAInPlace(ops, pr, j1 - j0);
    const Grid g = ChooseGrid(ops, m, j1 - j0, k, threads);
    // One chunk of rows split into column ranges: each tile packs its own columns of B (nothing
    // packed twice), inside the multiply's parallel region instead of before it.
    const bool tile_packs = threads > 1 && !pb.direct && g.mt == 1 && g.nt > 1 && FewRowPanels(ops, m);
    if (!tile_packs) PackStripe(ops, pr, mat, pb, threads);
    auto tile = [&](int64_t t, int worker) {
      const int64_t tm = t / g.nt, tn = t % g.nt;
      const int64_t i0 = g.RowPanelStart(tm) * ops.mr;
      const int64_t i1 = Min(m, g.RowPanelStart(tm + 1) * ops.mr);
      const int64_t c0 = j0 + g.npanels * tn / g.nt * ops.nr;
      const int64_t c1 = Min(j1, j0 + g.npanels * (tn + 1) / g.nt * ops.nr);
      if (i0 >= i1 || c0 >= c1) return;
      ThreadScratch& own = scratch[threads > 1 ? worker : th];
      float* apack = own.a.Get(kAScratchFloats);  // preallocated
      if (tile_packs) {
        float* bdata_own = own.b.Get(PackedBFloats(ops, n, k));  // preallocated
        const PackedB tb{bdata_own, c0, c1, CeilDiv(c1 - c0, ops.nr), pb.kc, false, c1};
        PackStripe(ops, pr, mat, tb, 1);
        RunTile(ops, pr, mat, tb, a_in_place, i0, i1, c0, c1, apack);
      } else {
        RunTile(ops, pr, mat, pb, a_in_place, i0, i1, c0, c1, apack);
      }
    };
    if (g.mt * g.nt > 1 && threads > 1) {
      ParallelTaskEach(g.mt * g.nt, tile);
    } else {
      for (int64_t t = 0; t < g.mt * g.nt; ++t) tile(t, th);
    }
  }
}

// unit(u, thread) for every u in [0, units): across the pool when parallel, else in order here.
template <typename F>
void RunUnits(int64_t units, bool parallel, F& unit) {
  if (parallel && units > 1) {
    ParallelTaskEach(units, unit);
  } else {
    for (int64_t u = 0; u < units; ++u) unit(u, 0);
  }
}

// Few rows, operands as they are (Ops::few_rows): nothing to pack, so no scratch. Threads split
// matrices and column ranges (whole vectors), never the sum over k. Few-rows products are bound
// by reading B, so they go parallel from a B this large on, well below kParallelWork: each core
// then streams its part of B from its own L2.
constexpr int64_t kFewRowsParallelFloats = int64_t{1} << 16;

// Whether a product bound by reading `floats` of one operand in place (the few-rows and
// one-column paths) goes parallel.
bool ReadBoundParallel(int threads, double floats) {
  return threads > 1 && floats >= static_cast<double>(kFewRowsParallelFloats);
}
// Columns per task at least, when there are enough for every thread.
constexpr int64_t kFewRowsTaskColumns = 64;

void RunFewRows(const Ops& ops, const Problem& pr, const float* a, const float* b, float* c) {
  const int64_t m = pr.m, n = pr.n, k = pr.k;
  const int threads = NumThreads();
  const bool parallel =
      ReadBoundParallel(threads, static_cast<double>(k) * static_cast<double>(n) * static_cast<double>(pr.batch));
  const int64_t vectors = CeilDiv(n, ops.few_rows_split);
  const int64_t parts =
      parallel ? Min(vectors, Max(threads, Min(CeilDiv(n, kFewRowsTaskColumns), kTasksPerThread * threads))) : 1;
  auto unit = [&](int64_t u, int) {
    const int64_t bi = u / parts, part = u % parts;
    const int64_t j0 = vectors * part / parts * ops.few_rows_split;
    const int64_t j1 = Min(n, vectors * (part + 1) / parts * ops.few_rows_split);
    if (j0 >= j1) return;
    ops.few_rows(FewRowsArgs{a + bi * pr.a_batch_stride, k, b + bi * pr.b_batch_stride, n, c + bi * m * n, n, m, k,
                             j0, j1});
  };
  RunUnits(pr.batch * parts, parallel, unit);
}

// C = op(A) b for a single column b (op(B) is k x 1 whether B is stored k x 1 or 1 x k: the
// same k floats): a matrix-vector product, for which the packed micro-kernels would fill one of
// their NR columns. A not transposed: row dots (Ops::row_dots), rows split across threads like
// the few-rows columns. A transposed: C^T = b^T A, one row for the few-rows kernels, which read
// A (k x m) in place as their B.
void RunOneColumn(const Ops& ops, const Problem& pr, const float* a, const float* b, float* c) {
  if (pr.trans_a) {
    Problem row = pr;
    row.m = 1;
    row.n = pr.m;
    row.trans_a = row.trans_b = false;
    row.a_batch_stride = pr.b_batch_stride;
    row.b_batch_stride = pr.a_batch_stride;
    RunFewRows(ops, row, b, a, c);
    return;
  }
  const int64_t m = pr.m, k = pr.k;
  const int threads = NumThreads();
  const bool parallel =
      ReadBoundParallel(threads, static_cast<double>(m) * static_cast<double>(k) * static_cast<double>(pr.batch));
  const int64_t parts = parallel ? Min(m, kTasksPerThread * threads) : 1;
  auto unit = [&](int64_t u, int) {
    const int64_t bi = u / parts, part = u % parts;
    ops.row_dots(RowDotsArgs{a + bi * pr.a_batch_stride, k, b + bi * pr.b_batch_stride, c + bi * m, k, m * part / parts,
                             m * (part + 1) / parts});
  };
  RunUnits(pr.batch * parts, parallel, unit);
}

}  // namespace

void Run(const Problem& pr, const float* a, const float* b, float* c) {
  const int64_t m = pr.m, n = pr.n, k = pr.k, batch = pr.batch;
  if (batch == 0 || m == 0 || n == 0) return;
  if (k == 0) {
    std::memset(c, 0, static_cast<size_t>(batch * m * n) * sizeof(float));
    return;
  }
  const Ops& ops = ActiveOps();
  if (!pr.trans_a && !pr.trans_b && m <= ops.few_rows_max) {
    RunFewRows(ops, pr, a, b, c);
    return;
  }
  if (n == 1 && (!pr.trans_a || ops.few_rows_max >= 1)) {
    RunOneColumn(ops, pr, a, b, c);
    return;
  }
  const int threads = NumThreads();
  const double work = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  const bool parallel = threads > 1 && work * static_cast<double>(batch) >= kParallelWork;
  // Small products whose operands are both read in place, in one depth block and whole panels:
  // RunMatrix would make the same single Compute call per matrix, after ~70 ns of blocking and
  // tiling arithmetic (a few dozen integer divisions), 3 % of 64^3.
  if (!parallel && k <= kKc && n % ops.nr == 0 && ReadBInPlace(pr) && ReadAInPlace(ops, pr, n)) {
    for (int64_t bi = 0; bi < batch; ++bi) {
      ops.compute(ComputeArgs{a + bi * pr.a_batch_stride, pr.trans_a ? m : k, pr.trans_a, 0, k, 0, m,
                              b + bi * pr.b_batch_stride, ops.nr, n, 0, n, c + bi * m * n, n, false,
                              APanels::kInPlace, nullptr});
    }
    return;
  }
  // C^T = op(B)^T op(A)^T instead, then C^T transposed into C (m x n floats moved; each
  // element's sum runs in the same order):
  //  * C = A B^T with few rows and a deeper k: B^T would be packed whole (n x k floats moved
  //    through registers) for a few rows' use, while C^T = B A^T reads B in place;
  //  * C at most 3/4 of a vector wide (an output layer: 10 units) and B not transposed: the
  //    micro-kernels would use n of a vector's lanes, while C^T's rows are the m columns, whole
  //    panels. With A transposed, C^T = B^T A reads both in place; with A not transposed, A^T is
  //    packed through transposes, which repays for few rows, or when C uses a quarter of the
  //    lanes at most (same-run A/B: 32x10x64 1.48x, 64x3x64 2.0x, but 256x10x64 0.96x).
  const bool few_rows_nt = pr.trans_b && !pr.trans_a && m <= kDirectRows && m < k;
  const int64_t lanes = ops.nr / 2;
  const bool narrow = 4 * n <= 3 * lanes && m >= ops.nr && !pr.trans_b &&
                      (pr.trans_a || m <= kDirectRows || 4 * n <= lanes);
  const bool via_transpose = few_rows_nt || narrow;
  Problem eff = pr;
  if (via_transpose) {
    eff.m = n;
    eff.n = m;
    eff.trans_a = !pr.trans_b;
    eff.trans_b = !pr.trans_a;
    eff.a_batch_stride = pr.b_batch_stride;
    eff.b_batch_stride = pr.a_batch_stride;
  }
  // Split by matrix when there are enough matrices and each is small, or there are many.
  const bool by_batch = parallel && batch > 1 &&
                        (work < 256.0 * 256.0 * 256.0 || batch >= kTasksPerThread * threads);

  // Allocate every buffer the run may touch up front, on this thread.
  const int slots = parallel ? threads : 1;
  if (static_cast<int>(tls_scratch.size()) < slots) tls_scratch.resize(slots);
  const Slots scratch{tls_scratch.data(), slots};
  for (int t = 0; t < slots; ++t) scratch[t].a.Get(kAScratchFloats);
  const int b_slots = by_batch || (parallel && FewRowPanels(ops, eff.m)) ? threads : 1;
  for (int t = 0; t < b_slots; ++t) scratch[t].b.Get(PackedBFloats(ops, eff.n, k));
  if (via_transpose) {
    for (int t = 0; t < (by_batch ? threads : 1); ++t) scratch[t].ct.Get(m * n);
  }

  auto run_matrix = [&](int64_t bi, int th, int matrix_threads) {
    const float* a_bi = a + bi * pr.a_batch_stride;
    const float* b_bi = b + bi * pr.b_batch_stride;
    float* c_bi = c + bi * m * n;
    if (!via_transpose) {
      RunMatrix(ops, eff, Matrix{a_bi, b_bi, c_bi}, scratch, th, matrix_threads);
      return;
    }
    float* ct = scratch[th].ct.Get(m * n);  // preallocated
    RunMatrix(ops, eff, Matrix{b_bi, a_bi, ct}, scratch, th, matrix_threads);
    ops.transpose(TransposeArgs{ct, n, m, c_bi});
  };
  if (by_batch) {
    auto item = [&](int64_t bi, int th) { run_matrix(bi, th, 1); };
    ParallelTaskEach(batch, item);
  } else {
    for (int64_t bi = 0; bi < batch; ++bi) run_matrix(bi, 0, parallel ? threads : 1);
  }
}

}  // namespace gemm
}  // namespace et
