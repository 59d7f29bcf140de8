// AVX-512 GEMM: a 14 x 32 micro-kernel (28 zmm accumulators, two zmm of B and one broadcast of A
// per row and k-step), its edge variants (1..14 rows, 1 or 2 vectors of columns, masked C
// loads / stores) and the packing of a transposed B (through 16 x 16 register transposes).
// The few-rows kernels come from gemm_few_rows_impl.h, the row dots from gemm_row_dots_impl.h;
// Compute, the packing of a row-major B and the matrix transpose from gemm_simd_impl.h.
// Compiled with AVX-512 flags: only reached after ActiveIsa() == kAvx512. No library templates
// here (see gemm.h): intrinsics, plain loops and internal helpers only.
#include <immintrin.h>
#include <stdint.h>

// GCC 12 flags the _mm512_undefined_* inside its own shuffle intrinsics (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "kernels/gemm/gemm.h"
#include "kernels/gemm/gemm_few_rows_impl.h"
#include "kernels/gemm/gemm_row_dots_impl.h"
#include "kernels/gemm/gemm_simd_impl.h"

namespace et {
namespace gemm_avx512 {
namespace {

constexpr int kMr = 14;
constexpr int kNr = 32;

inline int64_t Min64(int64_t a, int64_t b) { return a < b ? a : b; }

// Lanes [0, n) of a 16-lane mask, n clamped to [0, 16].
inline __mmask16 Mask16(int64_t n) {
  if (n >= 16) return static_cast<__mmask16>(0xFFFF);
  if (n <= 0) return 0;
  return static_cast<__mmask16>((1u << n) - 1u);
}

using ET_SIMD_NS::gemm_simd::KernelRow;

// C[0:M, 0:nr] (=|+=) sum_p A[:, p] B[p, :] with A a panel in row format (row i at a + i * lda:
// packed, lda = kLdp, or A itself read in place) or k-major (step p at a + p * lda: packed,
// lda = kMr, or A^T itself read in place), and B one panel (kc rows of kNr floats, ldb apart).
// NV = 1 when nr <= 16.
template <int M, int NV, bool KMajor>
void Kernel(int64_t kc, const float* __restrict a, int64_t lda, const float* __restrict b, int64_t ldb,
            float* __restrict c, int64_t ldc, int nr, bool accumulate) {
  __m512 acc0[M];
  __m512 acc1[M];
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i) {
    acc0[i] = _mm512_setzero_ps();
    if (NV > 1) acc1[i] = _mm512_setzero_ps();
  }
  // Start fetching the C tile now: it is read (accumulate) or written after the k loop.
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 16 * NV - 1), _MM_HINT_T0);
  }
  for (int64_t p = 0; p < kc; ++p) {
    const __m512 b0 = _mm512_loadu_ps(b);
    const __m512 b1 = NV > 1 ? _mm512_loadu_ps(b + 16) : b0;
#pragma GCC unroll 16
    for (int i = 0; i < M; ++i) {
      const __m512 ai = _mm512_set1_ps(KMajor ? a[i] : a[i * lda]);
      acc0[i] = _mm512_fmadd_ps(ai, b0, acc0[i]);
      if (NV > 1) acc1[i] = _mm512_fmadd_ps(ai, b1, acc1[i]);
    }
    b += ldb;
    a += KMajor ? lda : 1;
  }
  if (nr == 16 * NV) {
#pragma GCC unroll 16
    for (int i = 0; i < M; ++i) {
      float* ci = c + i * ldc;
      __m512 v0 = acc0[i];
      if (accumulate) v0 = _mm512_add_ps(v0, _mm512_loadu_ps(ci));
      _mm512_storeu_ps(ci, v0);
      if (NV > 1) {
        __m512 v1 = acc1[i];
        if (accumulate) v1 = _mm512_add_ps(v1, _mm512_loadu_ps(ci + 16));
        _mm512_storeu_ps(ci + 16, v1);
      }
    }
  } else {
    const __mmask16 m0 = Mask16(nr);
    const __mmask16 m1 = Mask16(nr - 16);
#pragma GCC unroll 16
    for (int i = 0; i < M; ++i) {
      float* ci = c + i * ldc;
      __m512 v0 = acc0[i];
      if (accumulate) v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, ci));
      _mm512_mask_storeu_ps(ci, m0, v0);
      if (NV > 1) {
        __m512 v1 = acc1[i];
        if (accumulate) v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, ci + 16));
        _mm512_mask_storeu_ps(ci + 16, m1, v1);
      }
    }
  }
}

// kKernels[format][M - 1][NV - 1], format 0 = row, 1 = k-major.
#define ET_GEMM_ROW(M) {{Kernel<M, 1, false>, Kernel<M, 2, false>}}
#define ET_GEMM_KMJ(M) {{Kernel<M, 1, true>, Kernel<M, 2, true>}}
const KernelRow kRowKernels[kMr] = {ET_GEMM_ROW(1),  ET_GEMM_ROW(2),  ET_GEMM_ROW(3),  ET_GEMM_ROW(4),
                                    ET_GEMM_ROW(5),  ET_GEMM_ROW(6),  ET_GEMM_ROW(7),  ET_GEMM_ROW(8),
                                    ET_GEMM_ROW(9),  ET_GEMM_ROW(10), ET_GEMM_ROW(11), ET_GEMM_ROW(12),
                                    ET_GEMM_ROW(13), ET_GEMM_ROW(14)};
const KernelRow kKMajorKernels[kMr] = {ET_GEMM_KMJ(1),  ET_GEMM_KMJ(2),  ET_GEMM_KMJ(3),  ET_GEMM_KMJ(4),
                                       ET_GEMM_KMJ(5),  ET_GEMM_KMJ(6),  ET_GEMM_KMJ(7),  ET_GEMM_KMJ(8),
                                       ET_GEMM_KMJ(9),  ET_GEMM_KMJ(10), ET_GEMM_KMJ(11), ET_GEMM_KMJ(12),
                                       ET_GEMM_KMJ(13), ET_GEMM_KMJ(14)};
#undef ET_GEMM_ROW
#undef ET_GEMM_KMJ

// In-register transpose: r[i] lane j <-> r[j] lane i.
inline void Transpose16x16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  for (int i = 0; i < 4; ++i) {
    const __m512d a0 = _mm512_castps_pd(t[4 * i]);
    const __m512d a1 = _mm512_castps_pd(t[4 * i + 1]);
    const __m512d a2 = _mm512_castps_pd(t[4 * i + 2]);
    const __m512d a3 = _mm512_castps_pd(t[4 * i + 3]);
    r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a0, a2));
    r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a0, a2));
    r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(a1, a3));
    r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(a1, a3));
  }
  // r[4g + s] lane L = column 4L + s of rows 4g..4g+3.
  for (int s = 0; s < 4; ++s) {
    const __m512 u0 = _mm512_shuffle_f32x4(r[s], r[4 + s], 0x88);
    const __m512 u1 = _mm512_shuffle_f32x4(r[s], r[4 + s], 0xDD);
    const __m512 u2 = _mm512_shuffle_f32x4(r[8 + s], r[12 + s], 0x88);
    const __m512 u3 = _mm512_shuffle_f32x4(r[8 + s], r[12 + s], 0xDD);
    t[s] = _mm512_shuffle_f32x4(u0, u2, 0x88);
    t[4 + s] = _mm512_shuffle_f32x4(u1, u3, 0x88);
    t[8 + s] = _mm512_shuffle_f32x4(u0, u2, 0xDD);
    t[12 + s] = _mm512_shuffle_f32x4(u1, u3, 0xDD);
  }
  for (int i = 0; i < 16; ++i) r[i] = t[i];
}

// op(B) = b^T (b is n x k): transpose 16 x 16 blocks of (columns, depth) into each panel.
void PackBTransposed(const gemm::PackBArgs& p) {
  const int64_t kc = p.kc;
  for (int64_t j = 0, q = 0; j < p.ncols; j += kNr, ++q) {
    const int64_t nr = Min64(kNr, p.ncols - j);
    float* dst = p.out + q * kc * kNr;
    for (int64_t h = 0; h < 2; ++h) {
      const int64_t rows = Min64(16, nr - 16 * h);
      if (rows <= 0) {
        // A panel of <= 16 columns is read by the NV = 1 kernels only; zero the right half
        // anyway so the panel is fully defined.
        for (int64_t k = 0; k < kc; ++k) _mm512_store_ps(dst + k * kNr + 16, _mm512_setzero_ps());
        continue;
      }
      const float* src = p.b + (p.j0 + j + 16 * h) * p.ldb + p.pc;
      for (int64_t k0 = 0; k0 < kc; k0 += 16) {
        const int64_t kk = Min64(16, kc - k0);
        const __mmask16 km = Mask16(kk);
        __m512 r[16];
        for (int64_t i = 0; i < 16; ++i) {
          r[i] = i < rows ? _mm512_maskz_loadu_ps(km, src + i * p.ldb + k0) : _mm512_setzero_ps();
        }
        Transpose16x16(r);
        for (int64_t s = 0; s < kk; ++s) _mm512_store_ps(dst + (k0 + s) * kNr + 16 * h, r[s]);
      }
    }
  }
}

void PackB(const gemm::PackBArgs& p) {
  if (p.trans) {
    PackBTransposed(p);
  } else {
    ET_SIMD_NS::gemm_simd::PackBRows<kNr>(p);
  }
}

void Compute(const gemm::ComputeArgs& p) {
  ET_SIMD_NS::gemm_simd::Compute<kMr, kNr>(p, kRowKernels, kKMajorKernels);
}

const gemm::Ops kOps = {kMr, kNr, PackB, Compute, ET_SIMD_NS::few_rows::kMaxRows, ET_SIMD_NS::few_rows::Run,
                         ET_SIMD_NS::kLanes, ET_SIMD_NS::gemm_simd::TransposeMatrix<Transpose16x16>,
                         ET_SIMD_NS::row_dots::Run};

}  // namespace

const gemm::Ops* GetOps() { return &kOps; }

}  // namespace gemm_avx512
}  // namespace et
