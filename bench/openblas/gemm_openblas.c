/*
 * OpenBLAS sgemm timing harness: a benchmark peer for edgetensor's native gemm, never a
 * dependency of the library. Built and driven by bench/gemm-peers.mjs; the command line and
 * output are bench/harness/gemm_timing.h's. Row-major cblas_sgemm, alpha 1, beta 0.
 */
#define _POSIX_C_SOURCE 199309L
#include <cblas.h>

#include "../harness/gemm_timing.h"

extern void openblas_set_num_threads(int num_threads);

static void openblas_gemm(int m, int n, int k, int ta, int tb, const float* a, const float* b, float* c) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a,
              ta ? m : k, b, tb ? k : n, 0.0f, c, n);
}

int main(int argc, char** argv) {
  return gemm_harness_main(argc, argv, "gemm_openblas", openblas_set_num_threads, openblas_gemm);
}
