// Reduction kernel bodies, compiled by reduce_scalar.cc / reduce_avx2.cc / reduce_avx512.cc.
// x is [outer, reduce, inner]. inner == 1 folds contiguous rows (fold.h); inner > 1 folds
// whole rows of `inner` values at once, kTile columns at a time in stack accumulators, with
// float sums blocked by kRowBlock rows for accuracy. int32 kernels are plain loops (vectorized
// by the compiler) with Int32Array wrap-around for Sum / Prod.
#pragma once

#include "kernels/reduce/reduce_kernels.h"
#include "kernels/simd/fold.h"
#include "kernels/simd/vmath.h"

namespace et {
namespace ET_SIMD_NS {
namespace rd {

constexpr int64_t kTile = 256;     // columns per tile (a multiple of every kLanes)
constexpr int64_t kRowBlock = 64;  // rows folded into a block before it joins the total

// ---------------------------------------------------------------- float32 column helpers
// acc[0, w) = Op(acc, row[0, w)); acc has room for whole vectors (row is padded).
template <typename Op>
ET_INLINE void StepColumns(float* acc, const float* row, int64_t w) {
  int64_t j = 0;
  for (; j + kLanes <= w; j += kLanes) Store(acc + j, Op::V(Load(acc + j), Load(row + j)));
  if (j < w) Store(acc + j, Op::V(Load(acc + j), LoadPadded(row + j, w - j, Op::Identity())));
}

ET_INLINE void FillColumns(float* acc, int64_t w, float v) {
  for (int64_t j = 0; j < w; ++j) acc[j] = v;
}

// total[0, w) joined with block[0, w) (fold.h's Join: compensated for sums); all three
// buffers hold whole vectors.
template <typename Op>
ET_INLINE void JoinColumns(float* total, float* comp, const float* block, int64_t w) {
  for (int64_t j = 0; j < w; j += kLanes) {
    VF t = Load(total + j), c = Load(comp + j);
    Join<Op>(t, c, Load(block + j));
    Store(total + j, t);
    Store(comp + j, c);
  }
}

// total[0, w) = fold over rows r of x[r * inner + j].
template <typename Op>
static void FoldColumns(const float* x, int64_t reduce, int64_t inner, int64_t w, float* total) {
  alignas(64) float block[kTile];
  alignas(64) float comp[kTile];
  FillColumns(total, kTile, Op::Identity());
  FillColumns(comp, kTile, 0.0f);
  for (int64_t r0 = 0; r0 < reduce; r0 += kRowBlock) {
    const int64_t r1 = reduce - r0 < kRowBlock ? reduce : r0 + kRowBlock;
    FillColumns(block, kTile, Op::Identity());
    for (int64_t r = r0; r < r1; ++r) StepColumns<Op>(block, x + r * inner, w);
    JoinColumns<Op>(total, comp, block, w);
  }
}

// ---------------------------------------------------------------- float32 Sum / Prod / Max / Min
template <typename Op>
static void FoldF32(const void* px, void* pout, int64_t o0, int64_t o1, int64_t reduce, int64_t inner,
                    int64_t i0, int64_t i1) {
  const float* x = static_cast<const float*>(px);
  float* out = static_cast<float*>(pout);
  for (int64_t o = o0; o < o1; ++o) {
    const float* xo = x + o * reduce * inner;
    if (inner == 1) {
      out[o] = FoldRow<Op>(xo, reduce);
      continue;
    }
    alignas(64) float total[kTile];
    for (int64_t c = i0; c < i1; c += kTile) {
      const int64_t w = i1 - c < kTile ? i1 - c : kTile;
      FoldColumns<Op>(xo + c, reduce, inner, w, total);
      for (int64_t j = 0; j < w; ++j) out[o * inner + c + j] = total[j];
    }
  }
}

// ---------------------------------------------------------------- float32 ArgMax / ArgMin
// First index of the extreme; the first NaN if there is one.
template <bool kMax>
static int64_t ArgRow(const float* x, int64_t n) {
  VF m = Set1(kMax ? -INFINITY : INFINITY);
  M nan = MFalse();
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    const VF v = Load(x + i);
    nan = MOr(nan, IsNan(v));
    m = kMax ? MaxRaw(m, v) : MinRaw(m, v);
  }
  float best = kMax ? FoldLanes<FoldMax>(m) : FoldLanes<FoldMin>(m);
  bool has_nan = Any(nan);
  for (; i < n; ++i) {
    has_nan = has_nan || x[i] != x[i];
    if (kMax ? x[i] > best : x[i] < best) best = x[i];
  }
  for (int64_t k = 0; k < n; ++k) {
    if (has_nan ? x[k] != x[k] : x[k] == best) return k;
  }
  return 0;  // unreachable: n >= 1
}

template <bool kMax>
static void ArgF32(const void* px, void* pout, int64_t o0, int64_t o1, int64_t reduce, int64_t inner,
                   int64_t i0, int64_t i1) {
  const float* x = static_cast<const float*>(px);
  int32_t* out = static_cast<int32_t*>(pout);
  for (int64_t o = o0; o < o1; ++o) {
    const float* xo = x + o * reduce * inner;
    if (inner == 1) {
      out[o] = static_cast<int32_t>(ArgRow<kMax>(xo, reduce));
      continue;
    }
    alignas(64) float best[kTile];
    alignas(64) int32_t index[kTile];
    for (int64_t c = i0; c < i1; c += kTile) {
      const int64_t w = i1 - c < kTile ? i1 - c : kTile;
      for (int64_t j = 0; j < w; ++j) {
        best[j] = xo[c + j];
        index[j] = 0;
      }
      for (int64_t r = 1; r < reduce; ++r) {
        const float* row = xo + r * inner + c;
        const VI vr = Set1I(static_cast<int32_t>(r));
        int64_t j = 0;
        for (; j + kLanes <= w; j += kLanes) {
          const VF v = Load(row + j), b = Load(best + j);
          // Strictly better, or the first NaN over a number.
          const M take = MOr(kMax ? Gt(v, b) : Lt(v, b), MAnd(IsNan(v), MNot(IsNan(b))));
          Store(best + j, Select(take, v, b));
          StoreI(index + j, SelectI(take, vr, LoadI(index + j)));
        }
        for (; j < w; ++j) {
          const float v = row[j], b = best[j];
          if ((kMax ? v > b : v < b) || (v != v && b == b)) {
            best[j] = v;
            index[j] = static_cast<int32_t>(r);
          }
        }
      }
      for (int64_t j = 0; j < w; ++j) out[o * inner + c + j] = index[j];
    }
  }
}

// ---------------------------------------------------------------- float32 LogSumExp
// max + log(sum(exp(x - max))); an infinite or NaN max is the result itself.
ET_INLINE float FinishLogSumExp(float m, float sum) {
  if (!(m > -INFINITY && m < INFINITY)) return m;
  return m + ::logf(sum);
}

struct ExpMinus {
  VF m;
  VF operator()(VF v) const { return Exp(Sub(v, m)); }
};

static void LogSumExpF32(const void* px, void* pout, int64_t o0, int64_t o1, int64_t reduce, int64_t inner,
                         int64_t i0, int64_t i1) {
  const float* x = static_cast<const float*>(px);
  float* out = static_cast<float*>(pout);
  for (int64_t o = o0; o < o1; ++o) {
    const float* xo = x + o * reduce * inner;
    if (inner == 1) {
      const float m = FoldRow<FoldMax>(xo, reduce);
      const ExpMinus f{Set1(m)};
      out[o] = FinishLogSumExp(m, FoldRowMapped<FoldSum>(xo, reduce, f));
      continue;
    }
    alignas(64) float mx[kTile];
    alignas(64) float sum[kTile];
    alignas(64) float block[kTile];
    alignas(64) float comp[kTile];
    for (int64_t c = i0; c < i1; c += kTile) {
      const int64_t w = i1 - c < kTile ? i1 - c : kTile;
      FoldColumns<FoldMax>(xo + c, reduce, inner, w, mx);
      FillColumns(sum, kTile, 0.0f);
      FillColumns(comp, kTile, 0.0f);
      for (int64_t r0 = 0; r0 < reduce; r0 += kRowBlock) {
        const int64_t r1 = reduce - r0 < kRowBlock ? reduce : r0 + kRowBlock;
        FillColumns(block, kTile, 0.0f);
        for (int64_t r = r0; r < r1; ++r) {
          const float* row = xo + r * inner + c;
          int64_t j = 0;
          for (; j + kLanes <= w; j += kLanes) {
            Store(block + j, Add(Load(block + j), Exp(Sub(Load(row + j), Load(mx + j)))));
          }
          if (j < w) {  // padding lanes are never read back
            Store(block + j, Add(Load(block + j), Exp(Sub(LoadPadded(row + j, w - j, 0.0f), Load(mx + j)))));
          }
        }
        JoinColumns<FoldSum>(sum, comp, block, w);
      }
      for (int64_t j = 0; j < w; ++j) out[o * inner + c + j] = FinishLogSumExp(mx[j], sum[j]);
    }
  }
}

// ---------------------------------------------------------------- int32
struct ISum {
  static int32_t Identity() { return 0; }
  static int32_t S(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); }
};
struct IProd {
  static int32_t Identity() { return 1; }
  static int32_t S(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b)); }
};
struct IMax {
  static int32_t Identity() { return -2147483647 - 1; }
  static int32_t S(int32_t a, int32_t b) { return a > b ? a : b; }
};
struct IMin {
  static int32_t Identity() { return 2147483647; }
  static int32_t S(int32_t a, int32_t b) { return a < b ? a : b; }
};

template <typename Op>
static void FoldI32(const void* px, void* pout, int64_t o0, int64_t o1, int64_t reduce, int64_t inner,
                    int64_t i0, int64_t i1) {
  const int32_t* x = static_cast<const int32_t*>(px);
  int32_t* out = static_cast<int32_t*>(pout);
  for (int64_t o = o0; o < o1; ++o) {
    const int32_t* xo = x + o * reduce * inner;
    if (inner == 1) {
      int32_t acc = Op::Identity();
      for (int64_t r = 0; r < reduce; ++r) acc = Op::S(acc, xo[r]);
      out[o] = acc;
      continue;
    }
    int32_t* dst = out + o * inner;
    for (int64_t j = i0; j < i1; ++j) dst[j] = xo[j];
    for (int64_t r = 1; r < reduce; ++r) {
      const int32_t* row = xo + r * inner;
      for (int64_t j = i0; j < i1; ++j) dst[j] = Op::S(dst[j], row[j]);
    }
  }
}

template <bool kMax>
static void ArgI32(const void* px, void* pout, int64_t o0, int64_t o1, int64_t reduce, int64_t inner,
                   int64_t i0, int64_t i1) {
  const int32_t* x = static_cast<const int32_t*>(px);
  int32_t* out = static_cast<int32_t*>(pout);
  for (int64_t o = o0; o < o1; ++o) {
    const int32_t* xo = x + o * reduce * inner;
    if (inner == 1) {
      int32_t best = xo[0];
      for (int64_t r = 1; r < reduce; ++r) best = kMax ? (xo[r] > best ? xo[r] : best) : (xo[r] < best ? xo[r] : best);
      int64_t k = 0;
      while (xo[k] != best) ++k;
      out[o] = static_cast<int32_t>(k);
      continue;
    }
    int32_t best[kTile];
    int32_t index[kTile];
    for (int64_t c = i0; c < i1; c += kTile) {
      const int64_t w = i1 - c < kTile ? i1 - c : kTile;
      for (int64_t j = 0; j < w; ++j) {
        best[j] = xo[c + j];
        index[j] = 0;
      }
      for (int64_t r = 1; r < reduce; ++r) {
        const int32_t* row = xo + r * inner + c;
        for (int64_t j = 0; j < w; ++j) {
          const bool take = kMax ? row[j] > best[j] : row[j] < best[j];
          best[j] = take ? row[j] : best[j];
          index[j] = take ? static_cast<int32_t>(r) : index[j];
        }
      }
      for (int64_t j = 0; j < w; ++j) out[o * inner + c + j] = index[j];
    }
  }
}

// ---------------------------------------------------------------- the table
static ReduceTable MakeTable() {
  ReduceTable t;
  memset(&t, 0, sizeof(t));
  t.fn[kReduceSum][0] = FoldF32<FoldSum>;
  t.fn[kReduceProd][0] = FoldF32<FoldProd>;
  t.fn[kReduceMax][0] = FoldF32<FoldMax>;
  t.fn[kReduceMin][0] = FoldF32<FoldMin>;
  t.fn[kReduceArgMax][0] = ArgF32<true>;
  t.fn[kReduceArgMin][0] = ArgF32<false>;
  t.fn[kReduceLogSumExp][0] = LogSumExpF32;
  t.fn[kReduceSum][1] = FoldI32<ISum>;
  t.fn[kReduceProd][1] = FoldI32<IProd>;
  t.fn[kReduceMax][1] = FoldI32<IMax>;
  t.fn[kReduceMin][1] = FoldI32<IMin>;
  t.fn[kReduceArgMax][1] = ArgI32<true>;
  t.fn[kReduceArgMin][1] = ArgI32<false>;
  return t;
}

}  // namespace rd

const ReduceTable* GetReduceTable() {
  static const ReduceTable table = rd::MakeTable();
  return &table;
}

}  // namespace ET_SIMD_NS
}  // namespace et
