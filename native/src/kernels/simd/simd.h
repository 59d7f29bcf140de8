// Thin SIMD mapping: one small vector vocabulary (VF = floats, VI = int32s, M = lane mask)
// mapped onto AVX-512, AVX2 or plain scalars depending on the flags the including
// translation unit is compiled with. Kernel bodies are written once against this vocabulary
// (in *_impl.h headers) and compiled three times: by foo_scalar.cc, foo_avx2.cc and
// foo_avx512.cc. Everything lands in namespace et::ET_SIMD_NS (scalar / avx2 / avx512) and
// is `static`, so no symbol compiled with wide-ISA flags can be shared with baseline code.
// Only intrinsics and C headers here, no STL: an out-of-line copy of a library template
// compiled with AVX-512 flags could be the one the linker keeps for baseline callers.
#pragma once

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__AVX512F__)
// GCC 12 reports its own _mm512_undefined_* placeholders as (maybe-)uninitialized.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#define ET_SIMD_NS avx512
#elif defined(__AVX2__)
#include <immintrin.h>
#define ET_SIMD_NS avx2
#else
#define ET_SIMD_NS scalar
#endif

#define ET_INLINE static inline __attribute__((always_inline))

namespace et {
namespace ET_SIMD_NS {

#if defined(__AVX512F__)
// ---------------------------------------------------------------- AVX-512: 16 lanes, k-masks
constexpr int kLanes = 16;
typedef __m512 VF;
typedef __m512i VI;
typedef __mmask16 M;

ET_INLINE VF Load(const float* p) { return _mm512_loadu_ps(p); }
ET_INLINE void Store(float* p, VF v) { _mm512_storeu_ps(p, v); }
ET_INLINE VI LoadI(const int32_t* p) { return _mm512_loadu_si512(p); }
ET_INLINE void StoreI(int32_t* p, VI v) { _mm512_storeu_si512(p, v); }
ET_INLINE VF Set1(float x) { return _mm512_set1_ps(x); }
ET_INLINE VI Set1I(int32_t x) { return _mm512_set1_epi32(x); }
// Lane k holds base + k.
ET_INLINE VI IotaI(int32_t base) {
  return _mm512_add_epi32(_mm512_set1_epi32(base),
                          _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

ET_INLINE VF Add(VF a, VF b) { return _mm512_add_ps(a, b); }
ET_INLINE VF Sub(VF a, VF b) { return _mm512_sub_ps(a, b); }
ET_INLINE VF Mul(VF a, VF b) { return _mm512_mul_ps(a, b); }
ET_INLINE VF Div(VF a, VF b) { return _mm512_div_ps(a, b); }
ET_INLINE VF Sqrt(VF a) { return _mm512_sqrt_ps(a); }
ET_INLINE VF MulAdd(VF a, VF b, VF c) { return _mm512_fmadd_ps(a, b, c); }     // a*b + c
ET_INLINE VF NegMulAdd(VF a, VF b, VF c) { return _mm512_fnmadd_ps(a, b, c); }  // c - a*b
ET_INLINE VF MinRaw(VF a, VF b) { return _mm512_min_ps(a, b); }  // a < b ? a : b
ET_INLINE VF MaxRaw(VF a, VF b) { return _mm512_max_ps(a, b); }  // a > b ? a : b
ET_INLINE VF Floor(VF a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
ET_INLINE VF RoundEven(VF a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

ET_INLINE M Lt(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
ET_INLINE M Le(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
ET_INLINE M Gt(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
ET_INLINE M Ge(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
ET_INLINE M Eq(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
ET_INLINE M Unord(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q); }
ET_INLINE M MAnd(M a, M b) { return static_cast<M>(a & b); }
ET_INLINE M MOr(M a, M b) { return static_cast<M>(a | b); }
ET_INLINE M MNot(M a) { return static_cast<M>(~a); }
ET_INLINE M MFalse() { return 0; }
ET_INLINE bool Any(M a) { return a != 0; }
ET_INLINE VF Select(M m, VF t, VF f) { return _mm512_mask_blend_ps(m, f, t); }
// Lanes [0, n) set, n clamped to [0, kLanes]; masked loads read zeros and stores skip the rest.
ET_INLINE M FirstLanes(int64_t n) { return n >= 16 ? static_cast<M>(0xFFFF) : n <= 0 ? 0 : static_cast<M>((1u << n) - 1u); }
ET_INLINE VF LoadMasked(const float* p, M m) { return _mm512_maskz_loadu_ps(m, p); }
ET_INLINE void StoreMasked(float* p, M m, VF v) { _mm512_mask_storeu_ps(p, m, v); }
ET_INLINE void Prefetch(const float* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
ET_INLINE VI SelectI(M m, VI t, VI f) { return _mm512_mask_blend_epi32(m, f, t); }
// Lane i gets lane i ^ kStride (kStride a power of two below kLanes).
template <int kStride>
ET_INLINE VF SwapLanes(VF v) {
  if constexpr (kStride == 8) return _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2));
  if constexpr (kStride == 4) return _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(2, 3, 0, 1));
  if constexpr (kStride == 2) return _mm512_permute_ps(v, _MM_SHUFFLE(1, 0, 3, 2));
  return _mm512_permute_ps(v, _MM_SHUFFLE(2, 3, 0, 1));
}
ET_INLINE float FirstLane(VF v) { return _mm512_cvtss_f32(v); }

ET_INLINE VF AndBits(VF a, VF b) { return _mm512_and_ps(a, b); }
ET_INLINE VF OrBits(VF a, VF b) { return _mm512_or_ps(a, b); }
ET_INLINE VF XorBits(VF a, VF b) { return _mm512_xor_ps(a, b); }
ET_INLINE VI AsInt(VF a) { return _mm512_castps_si512(a); }
ET_INLINE VF AsFloat(VI a) { return _mm512_castsi512_ps(a); }
ET_INLINE VI TruncToInt(VF a) { return _mm512_cvttps_epi32(a); }  // caller keeps |a| < 2^31
ET_INLINE VF ToFloat(VI a) { return _mm512_cvtepi32_ps(a); }
ET_INLINE VI AddI(VI a, VI b) { return _mm512_add_epi32(a, b); }
ET_INLINE VI SubI(VI a, VI b) { return _mm512_sub_epi32(a, b); }
ET_INLINE VI AndI(VI a, VI b) { return _mm512_and_si512(a, b); }
ET_INLINE VI OrI(VI a, VI b) { return _mm512_or_si512(a, b); }
template <int kBits> ET_INLINE VI ShlI(VI a) { return _mm512_slli_epi32(a, kBits); }
template <int kBits> ET_INLINE VI SraI(VI a) { return _mm512_srai_epi32(a, kBits); }
template <int kBits> ET_INLINE VI SrlI(VI a) { return _mm512_srli_epi32(a, kBits); }
ET_INLINE M EqI(VI a, VI b) { return _mm512_cmpeq_epi32_mask(a, b); }
ET_INLINE M GtI(VI a, VI b) { return _mm512_cmpgt_epi32_mask(a, b); }
ET_INLINE VI MinI(VI a, VI b) { return _mm512_min_epi32(a, b); }

#elif defined(__AVX2__)
// ---------------------------------------------------------------- AVX2 + FMA: 8 lanes, vector masks
constexpr int kLanes = 8;
typedef __m256 VF;
typedef __m256i VI;
typedef __m256 M;  // all-ones / all-zeros lanes

ET_INLINE VF Load(const float* p) { return _mm256_loadu_ps(p); }
ET_INLINE void Store(float* p, VF v) { _mm256_storeu_ps(p, v); }
ET_INLINE VI LoadI(const int32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
ET_INLINE void StoreI(int32_t* p, VI v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
ET_INLINE VF Set1(float x) { return _mm256_set1_ps(x); }
ET_INLINE VI Set1I(int32_t x) { return _mm256_set1_epi32(x); }
ET_INLINE VI IotaI(int32_t base) {
  return _mm256_add_epi32(_mm256_set1_epi32(base), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

ET_INLINE VF Add(VF a, VF b) { return _mm256_add_ps(a, b); }
ET_INLINE VF Sub(VF a, VF b) { return _mm256_sub_ps(a, b); }
ET_INLINE VF Mul(VF a, VF b) { return _mm256_mul_ps(a, b); }
ET_INLINE VF Div(VF a, VF b) { return _mm256_div_ps(a, b); }
ET_INLINE VF Sqrt(VF a) { return _mm256_sqrt_ps(a); }
ET_INLINE VF MulAdd(VF a, VF b, VF c) { return _mm256_fmadd_ps(a, b, c); }
ET_INLINE VF NegMulAdd(VF a, VF b, VF c) { return _mm256_fnmadd_ps(a, b, c); }
ET_INLINE VF MinRaw(VF a, VF b) { return _mm256_min_ps(a, b); }
ET_INLINE VF MaxRaw(VF a, VF b) { return _mm256_max_ps(a, b); }
ET_INLINE VF Floor(VF a) { return _mm256_floor_ps(a); }
ET_INLINE VF RoundEven(VF a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

ET_INLINE M Lt(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
ET_INLINE M Le(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
ET_INLINE M Gt(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
ET_INLINE M Ge(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
ET_INLINE M Eq(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
ET_INLINE M Unord(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_UNORD_Q); }
ET_INLINE M MAnd(M a, M b) { return _mm256_and_ps(a, b); }
ET_INLINE M MOr(M a, M b) { return _mm256_or_ps(a, b); }
ET_INLINE M MNot(M a) { return _mm256_xor_ps(a, _mm256_castsi256_ps(_mm256_set1_epi32(-1))); }
ET_INLINE M MFalse() { return _mm256_setzero_ps(); }
ET_INLINE bool Any(M a) { return _mm256_movemask_ps(a) != 0; }
ET_INLINE VF Select(M m, VF t, VF f) { return _mm256_blendv_ps(f, t, m); }
ET_INLINE M FirstLanes(int64_t n) {
  const int v = n <= 0 ? 0 : (n >= 8 ? 8 : static_cast<int>(n));
  return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(v), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
}
ET_INLINE VF LoadMasked(const float* p, M m) { return _mm256_maskload_ps(p, _mm256_castps_si256(m)); }
ET_INLINE void StoreMasked(float* p, M m, VF v) { _mm256_maskstore_ps(p, _mm256_castps_si256(m), v); }
ET_INLINE void Prefetch(const float* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
ET_INLINE VI SelectI(M m, VI t, VI f) { return _mm256_blendv_epi8(f, t, _mm256_castps_si256(m)); }
template <int kStride>
ET_INLINE VF SwapLanes(VF v) {
  if constexpr (kStride == 4) return _mm256_permute2f128_ps(v, v, 1);
  if constexpr (kStride == 2) return _mm256_permute_ps(v, _MM_SHUFFLE(1, 0, 3, 2));
  return _mm256_permute_ps(v, _MM_SHUFFLE(2, 3, 0, 1));
}
ET_INLINE float FirstLane(VF v) { return _mm256_cvtss_f32(v); }

ET_INLINE VF AndBits(VF a, VF b) { return _mm256_and_ps(a, b); }
ET_INLINE VF OrBits(VF a, VF b) { return _mm256_or_ps(a, b); }
ET_INLINE VF XorBits(VF a, VF b) { return _mm256_xor_ps(a, b); }
ET_INLINE VI AsInt(VF a) { return _mm256_castps_si256(a); }
ET_INLINE VF AsFloat(VI a) { return _mm256_castsi256_ps(a); }
ET_INLINE VI TruncToInt(VF a) { return _mm256_cvttps_epi32(a); }
ET_INLINE VF ToFloat(VI a) { return _mm256_cvtepi32_ps(a); }
ET_INLINE VI AddI(VI a, VI b) { return _mm256_add_epi32(a, b); }
ET_INLINE VI SubI(VI a, VI b) { return _mm256_sub_epi32(a, b); }
ET_INLINE VI AndI(VI a, VI b) { return _mm256_and_si256(a, b); }
ET_INLINE VI OrI(VI a, VI b) { return _mm256_or_si256(a, b); }
template <int kBits> ET_INLINE VI ShlI(VI a) { return _mm256_slli_epi32(a, kBits); }
template <int kBits> ET_INLINE VI SraI(VI a) { return _mm256_srai_epi32(a, kBits); }
template <int kBits> ET_INLINE VI SrlI(VI a) { return _mm256_srli_epi32(a, kBits); }
ET_INLINE M EqI(VI a, VI b) { return _mm256_castsi256_ps(_mm256_cmpeq_epi32(a, b)); }
ET_INLINE M GtI(VI a, VI b) { return _mm256_castsi256_ps(_mm256_cmpgt_epi32(a, b)); }
ET_INLINE VI MinI(VI a, VI b) { return _mm256_min_epi32(a, b); }

#else
// ---------------------------------------------------------------- scalar: 1 lane, bool masks
constexpr int kLanes = 1;
typedef float VF;
typedef int32_t VI;
typedef bool M;

ET_INLINE VF Load(const float* p) { return *p; }
ET_INLINE void Store(float* p, VF v) { *p = v; }
ET_INLINE VI LoadI(const int32_t* p) { return *p; }
ET_INLINE void StoreI(int32_t* p, VI v) { *p = v; }
ET_INLINE VF Set1(float x) { return x; }
ET_INLINE VI Set1I(int32_t x) { return x; }
ET_INLINE VI IotaI(int32_t base) { return base; }

ET_INLINE VF Add(VF a, VF b) { return a + b; }
ET_INLINE VF Sub(VF a, VF b) { return a - b; }
ET_INLINE VF Mul(VF a, VF b) { return a * b; }
ET_INLINE VF Div(VF a, VF b) { return a / b; }
ET_INLINE VF Sqrt(VF a) { return __builtin_sqrtf(a); }
ET_INLINE VF MulAdd(VF a, VF b, VF c) { return a * b + c; }     // not fused: baseline has no FMA
ET_INLINE VF NegMulAdd(VF a, VF b, VF c) { return c - a * b; }
ET_INLINE VF MinRaw(VF a, VF b) { return a < b ? a : b; }
ET_INLINE VF MaxRaw(VF a, VF b) { return a > b ? a : b; }
ET_INLINE VF Floor(VF a) { return ::floorf(a); }
ET_INLINE VF RoundEven(VF a) { return ::nearbyintf(a); }  // default rounding mode: to nearest even

ET_INLINE M Lt(VF a, VF b) { return a < b; }
ET_INLINE M Le(VF a, VF b) { return a <= b; }
ET_INLINE M Gt(VF a, VF b) { return a > b; }
ET_INLINE M Ge(VF a, VF b) { return a >= b; }
ET_INLINE M Eq(VF a, VF b) { return a == b; }
ET_INLINE M Unord(VF a, VF b) { return a != a || b != b; }
ET_INLINE M MAnd(M a, M b) { return a && b; }
ET_INLINE M MOr(M a, M b) { return a || b; }
ET_INLINE M MNot(M a) { return !a; }
ET_INLINE M MFalse() { return false; }
ET_INLINE bool Any(M a) { return a; }
ET_INLINE VF Select(M m, VF t, VF f) { return m ? t : f; }
ET_INLINE M FirstLanes(int64_t n) { return n > 0; }
ET_INLINE VF LoadMasked(const float* p, M m) { return m ? *p : 0.0f; }
ET_INLINE void StoreMasked(float* p, M m, VF v) { if (m) *p = v; }
ET_INLINE void Prefetch(const float* p) { __builtin_prefetch(p); }
ET_INLINE VI SelectI(M m, VI t, VI f) { return m ? t : f; }
template <int kStride>
ET_INLINE VF SwapLanes(VF v) { return v; }  // never called: one lane has no partner
ET_INLINE float FirstLane(VF v) { return v; }

ET_INLINE VI AsInt(VF a) { VI r; memcpy(&r, &a, 4); return r; }
ET_INLINE VF AsFloat(VI a) { VF r; memcpy(&r, &a, 4); return r; }
ET_INLINE VF AndBits(VF a, VF b) { return AsFloat(AsInt(a) & AsInt(b)); }
ET_INLINE VF OrBits(VF a, VF b) { return AsFloat(AsInt(a) | AsInt(b)); }
ET_INLINE VF XorBits(VF a, VF b) { return AsFloat(AsInt(a) ^ AsInt(b)); }
ET_INLINE VI TruncToInt(VF a) { return static_cast<int32_t>(a); }  // caller keeps |a| < 2^31
ET_INLINE VF ToFloat(VI a) { return static_cast<float>(a); }
ET_INLINE VI AddI(VI a, VI b) { return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); }
ET_INLINE VI SubI(VI a, VI b) { return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b)); }
ET_INLINE VI AndI(VI a, VI b) { return a & b; }
ET_INLINE VI OrI(VI a, VI b) { return a | b; }
template <int kBits> ET_INLINE VI ShlI(VI a) { return static_cast<int32_t>(static_cast<uint32_t>(a) << kBits); }
template <int kBits> ET_INLINE VI SraI(VI a) { return a >> kBits; }
template <int kBits> ET_INLINE VI SrlI(VI a) { return static_cast<int32_t>(static_cast<uint32_t>(a) >> kBits); }
ET_INLINE M EqI(VI a, VI b) { return a == b; }
ET_INLINE M GtI(VI a, VI b) { return a > b; }
ET_INLINE VI MinI(VI a, VI b) { return a < b ? a : b; }
#endif

// ---------------------------------------------------------------- ISA-independent helpers
ET_INLINE M IsNan(VF a) { return Unord(a, a); }
ET_INLINE M Ne(VF a, VF b) { return MNot(Eq(a, b)); }  // true when unordered, like JS !==
ET_INLINE VF Abs(VF a) { return AsFloat(AndI(AsInt(a), Set1I(0x7fffffff))); }
ET_INLINE VF Neg(VF a) { return XorBits(a, Set1(-0.0f)); }
ET_INLINE VF SignBit(VF a) { return AndBits(a, Set1(-0.0f)); }

// Math.max / Math.min: NaN if either is NaN; max(+0, -0) = +0, min(+0, -0) = -0.
ET_INLINE VF JsMax(VF a, VF b) {
  VF r = Select(Gt(a, b), a, b);
  r = Select(Eq(a, b), AndBits(a, b), r);
  return Select(Unord(a, b), Add(a, b), r);
}
ET_INLINE VF JsMin(VF a, VF b) {
  VF r = Select(Lt(a, b), a, b);
  r = Select(Eq(a, b), OrBits(a, b), r);
  return Select(Unord(a, b), Add(a, b), r);
}

// Folds the lanes of v with combine as a tree (log2(kLanes) dependent steps, each lane ending
// with the total), not lane after lane: a row that fits in one vector (a softmax over 10
// classes) spends most of its time here.
template <typename Combine>
ET_INLINE float ReduceLanes(VF v, Combine combine) {
  if constexpr (kLanes >= 16) v = combine(v, SwapLanes<8>(v));
  if constexpr (kLanes >= 8) v = combine(v, SwapLanes<4>(v));
  if constexpr (kLanes >= 4) v = combine(v, SwapLanes<2>(v));
  if constexpr (kLanes >= 2) v = combine(v, SwapLanes<1>(v));
  return FirstLane(v);
}

// Horizontal reductions (lane order is irrelevant to the callers).
ET_INLINE float ReduceAdd(VF v) {
  return ReduceLanes(v, [](VF a, VF b) { return Add(a, b); });
}

// The n (< kLanes) floats at p in the first lanes, `fill` in the others; reads nothing past p + n.
ET_INLINE VF LoadPadded(const float* p, int64_t n, float fill) {
  const M m = FirstLanes(n);
  return Select(m, LoadMasked(p, m), Set1(fill));
}

// Applies f to the n (< kLanes) floats at src, padding the vector with `fill`, and writes n
// results to dst. Tails of every map loop go through here, so no load or store runs past
// the caller's arrays.
template <typename F>
ET_INLINE void MapTail(const float* src, float* dst, int64_t n, float fill, const F& f) {
  StoreMasked(dst, FirstLanes(n), f(LoadPadded(src, n, fill)));
}

// out[i] = f(a[i], b[i]) for i in [0, n): whole vectors, then the tail read padded with `fill`
// (which keeps f's arithmetic tame in the idle lanes: ones, for no 0 / 0) and stored masked.
template <typename F>
ET_INLINE void MapPair(const float* a, const float* b, float* out, int64_t n, float fill, const F& f) {
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) Store(out + i, f(Load(a + i), Load(b + i)));
  if (i < n) StoreMasked(out + i, FirstLanes(n - i), f(LoadPadded(a + i, n - i, fill), LoadPadded(b + i, n - i, fill)));
}

}  // namespace ET_SIMD_NS
}  // namespace et
