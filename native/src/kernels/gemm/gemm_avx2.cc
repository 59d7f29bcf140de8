// AVX2 + FMA GEMM: a 6 x 16 micro-kernel (12 ymm accumulators, two ymm of B and one broadcast
// of A per row and k-step), its edge variants (1..6 rows, 1 or 2 vectors of columns, masked C
// loads / stores) and the packing of a transposed B (through 8 x 8 register transposes).
// The few-rows kernels come from gemm_few_rows_impl.h, the row dots from gemm_row_dots_impl.h;
// Compute, the packing of a row-major B and the matrix transpose from gemm_simd_impl.h.
// Compiled with AVX2 flags: only reached after ActiveIsa() >= kAvx2. No library templates here
// (see gemm.h): intrinsics, plain loops and internal helpers only.
#include <immintrin.h>
#include <stdint.h>

#include "kernels/gemm/gemm.h"
#include "kernels/gemm/gemm_few_rows_impl.h"
#include "kernels/gemm/gemm_row_dots_impl.h"
#include "kernels/gemm/gemm_simd_impl.h"

namespace et {
namespace gemm_avx2 {
namespace {

constexpr int kMr = 6;
constexpr int kNr = 16;

inline int64_t Min64(int64_t a, int64_t b) { return a < b ? a : b; }

// Lanes [0, n) set, n clamped to [0, 8].
inline __m256i Mask8(int64_t n) {
  const int v = n <= 0 ? 0 : (n >= 8 ? 8 : static_cast<int>(n));
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(v), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

using ET_SIMD_NS::gemm_simd::KernelRow;

template <int M, int NV, bool KMajor>
void Kernel(int64_t kc, const float* __restrict a, int64_t lda, const float* __restrict b, int64_t ldb,
            float* __restrict c, int64_t ldc, int nr, bool accumulate) {
  __m256 acc0[M];
  __m256 acc1[M];
#pragma GCC unroll 8
  for (int i = 0; i < M; ++i) {
    acc0[i] = _mm256_setzero_ps();
    if (NV > 1) acc1[i] = _mm256_setzero_ps();
  }
  // Start fetching the C tile now: it is read (accumulate) or written after the k loop.
#pragma GCC unroll 8
  for (int i = 0; i < M; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 8 * NV - 1), _MM_HINT_T0);
  }
  for (int64_t p = 0; p < kc; ++p) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = NV > 1 ? _mm256_loadu_ps(b + 8) : b0;
#pragma GCC unroll 8
    for (int i = 0; i < M; ++i) {
      const __m256 ai = _mm256_broadcast_ss(KMajor ? a + i : a + i * lda);
      acc0[i] = _mm256_fmadd_ps(ai, b0, acc0[i]);
      if (NV > 1) acc1[i] = _mm256_fmadd_ps(ai, b1, acc1[i]);
    }
    b += ldb;
    a += KMajor ? lda : 1;
  }
  if (nr == 8 * NV) {
#pragma GCC unroll 8
    for (int i = 0; i < M; ++i) {
      float* ci = c + i * ldc;
      __m256 v0 = acc0[i];
      if (accumulate) v0 = _mm256_add_ps(v0, _mm256_loadu_ps(ci));
      _mm256_storeu_ps(ci, v0);
      if (NV > 1) {
        __m256 v1 = acc1[i];
        if (accumulate) v1 = _mm256_add_ps(v1, _mm256_loadu_ps(ci + 8));
        _mm256_storeu_ps(ci + 8, v1);
      }
    }
  } else {
    const __m256i m0 = Mask8(nr);
    const __m256i m1 = Mask8(nr - 8);
#pragma GCC unroll 8
    for (int i = 0; i < M; ++i) {
      float* ci = c + i * ldc;
      __m256 v0 = acc0[i];
      if (accumulate) v0 = _mm256_add_ps(v0, _mm256_maskload_ps(ci, m0));
      _mm256_maskstore_ps(ci, m0, v0);
      if (NV > 1) {
        __m256 v1 = acc1[i];
        if (accumulate) v1 = _mm256_add_ps(v1, _mm256_maskload_ps(ci + 8, m1));
        _mm256_maskstore_ps(ci + 8, m1, v1);
      }
    }
  }
}

#define ET_GEMM_ROW(M) {{Kernel<M, 1, false>, Kernel<M, 2, false>}}
#define ET_GEMM_KMJ(M) {{Kernel<M, 1, true>, Kernel<M, 2, true>}}
const KernelRow kRowKernels[kMr] = {ET_GEMM_ROW(1), ET_GEMM_ROW(2), ET_GEMM_ROW(3),
                                    ET_GEMM_ROW(4), ET_GEMM_ROW(5), ET_GEMM_ROW(6)};
const KernelRow kKMajorKernels[kMr] = {ET_GEMM_KMJ(1), ET_GEMM_KMJ(2), ET_GEMM_KMJ(3),
                                       ET_GEMM_KMJ(4), ET_GEMM_KMJ(5), ET_GEMM_KMJ(6)};
#undef ET_GEMM_ROW
#undef ET_GEMM_KMJ

// In-register transpose: r[i] lane j <-> r[j] lane i.
inline void Transpose8x8(__m256 r[8]) {
  __m256 t[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  __m256 u[8];
  for (int g = 0; g < 2; ++g) {
    const __m256d a0 = _mm256_castps_pd(t[4 * g]);
    const __m256d a1 = _mm256_castps_pd(t[4 * g + 1]);
    const __m256d a2 = _mm256_castps_pd(t[4 * g + 2]);
    const __m256d a3 = _mm256_castps_pd(t[4 * g + 3]);
    u[4 * g] = _mm256_castpd_ps(_mm256_unpacklo_pd(a0, a2));
    u[4 * g + 1] = _mm256_castpd_ps(_mm256_unpackhi_pd(a0, a2));
    u[4 * g + 2] = _mm256_castpd_ps(_mm256_unpacklo_pd(a1, a3));
    u[4 * g + 3] = _mm256_castpd_ps(_mm256_unpackhi_pd(a1, a3));
  }
  // u[4g + s] lane L = column 4L + s of rows 4g..4g+3.
  for (int s = 0; s < 4; ++s) {
    r[s] = _mm256_permute2f128_ps(u[s], u[4 + s], 0x20);
    r[4 + s] = _mm256_permute2f128_ps(u[s], u[4 + s], 0x31);
  }
}

// op(B) = b^T (b is n x k): transpose 8 x 8 blocks of (columns, depth) into each panel.
void PackBTransposed(const gemm::PackBArgs& p) {
  const int64_t kc = p.kc;
  for (int64_t j = 0, q = 0; j < p.ncols; j += kNr, ++q) {
    const int64_t nr = Min64(kNr, p.ncols - j);
    float* dst = p.out + q * kc * kNr;
    for (int64_t h = 0; h < 2; ++h) {
      const int64_t rows = Min64(8, nr - 8 * h);
      if (rows <= 0) {
        for (int64_t k = 0; k < kc; ++k) _mm256_store_ps(dst + k * kNr + 8, _mm256_setzero_ps());
        continue;
      }
      const float* src = p.b + (p.j0 + j + 8 * h) * p.ldb + p.pc;
      for (int64_t k0 = 0; k0 < kc; k0 += 8) {
        const int64_t kk = Min64(8, kc - k0);
        const __m256i km = Mask8(kk);
        __m256 r[8];
        for (int64_t i = 0; i < 8; ++i) {
          r[i] = i < rows ? _mm256_maskload_ps(src + i * p.ldb + k0, km) : _mm256_setzero_ps();
        }
        Transpose8x8(r);
        for (int64_t s = 0; s < kk; ++s) _mm256_store_ps(dst + (k0 + s) * kNr + 8 * h, r[s]);
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
                         ET_SIMD_NS::kLanes, ET_SIMD_NS::gemm_simd::TransposeMatrix<Transpose8x8>,
                         ET_SIMD_NS::row_dots::Run};

}  // namespace

const gemm::Ops* GetOps() { return &kOps; }

}  // namespace gemm_avx2
}  // namespace et
