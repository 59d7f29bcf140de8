// Segment-sum kernel bodies, compiled by segment_scalar.cc / segment_avx2.cc / segment_avx512.cc:
// one pass over x's rows, each added into its segment's row a vector at a time.
#pragma once

#include "kernels/segment/segment_kernels.h"
#include "kernels/simd/simd.h"

namespace et {
namespace ET_SIMD_NS {
namespace seg {

// The output rows are scattered (a batch's token ids over a vocabulary): fetching the row a few
// ids ahead keeps several misses in flight, as the gather does for its source rows (4096 rows of
// 64 into 50000 segments, AVX2 on one thread: 0.42 ms, 0.79 without). Only the first lines:
// past them the hardware prefetcher follows the row.
constexpr int64_t kPrefetchAhead = 4;
constexpr int64_t kPrefetchElements = 64;

ET_INLINE void AddRow(float* dst, const float* src, int64_t w) {
  int64_t j = 0;
  for (; j + kLanes <= w; j += kLanes) Store(dst + j, Add(Load(dst + j), Load(src + j)));
  if (j < w) {
    const M m = FirstLanes(w - j);
    StoreMasked(dst + j, m, Add(LoadMasked(dst + j, m), LoadMasked(src + j, m)));
  }
}

ET_INLINE void AddRow(int32_t* dst, const int32_t* src, int64_t w) {
  int64_t j = 0;
  for (; j + kLanes <= w; j += kLanes) StoreI(dst + j, AddI(LoadI(dst + j), LoadI(src + j)));
  for (; j < w; ++j) dst[j] = static_cast<int32_t>(static_cast<uint32_t>(dst[j]) + static_cast<uint32_t>(src[j]));
}

ET_INLINE void PrefetchRow(const void* row, int64_t bytes) {
  for (int64_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(static_cast<const char*>(row) + offset, 1);
}

template <typename T>
static void SegmentSum(const void* xv, const int32_t* ids, const int64_t* rows, int64_t count, int64_t inner, void* outv,
                       int64_t num_segments, const SegmentPart& p) {
  const T* x = static_cast<const T*>(xv);
  T* out = static_cast<T*>(outv);
  const int64_t block = int64_t{1} << p.shift;
  for (int64_t s0 = p.part << p.shift; s0 < num_segments; s0 += (p.mask + 1) << p.shift) {
    const int64_t s1 = num_segments - s0 < block ? num_segments : s0 + block;
    memset(out + s0 * inner, 0, static_cast<size_t>((s1 - s0) * inner) * sizeof(T));
  }
  const int64_t prefetch_bytes = (inner < kPrefetchElements ? inner : kPrefetchElements) * static_cast<int64_t>(sizeof(T));
  for (int64_t k = 0; k < count; ++k) {
    if (k + kPrefetchAhead < count) PrefetchRow(out + ids[rows ? rows[k + kPrefetchAhead] : k + kPrefetchAhead] * inner, prefetch_bytes);
    const int64_t i = rows ? rows[k] : k;
    AddRow(out + ids[i] * inner, x + i * inner, inner);
  }
}

}  // namespace seg

const SegmentTable* GetSegmentTable() {
  static const SegmentTable table = {{seg::SegmentSum<float>, seg::SegmentSum<int32_t>}};
  return &table;
}

}  // namespace ET_SIMD_NS
}  // namespace et
