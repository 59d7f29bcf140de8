/*
 * OpenBLAS sgemm timing harness: a benchmark peer for edgetensor's native gemm, never a
 * dependency of the library. Built and driven by bench/gemm-peers.mjs.
 *
 *   gemm_openblas THREADS [SAMPLES [MIN_MS]] SHAPE...     SHAPE = m,n,k[,transA,transB]
 *   gemm_openblas --serve THREADS                        stdin: "m n k transA transB samples min_ms"
 *
 * Row-major cblas_sgemm (C = op(A) op(B), alpha 1, beta 0). Each shape is warmed up, then timed
 * in SAMPLES samples of enough calls to last MIN_MS; prints one JSON line per shape:
 *   {"m":..,"n":..,"k":..,"transA":..,"transB":..,"threads":..,"gflops":..,"median_ms":..}
 * with median_ms the median per-call time. --serve answers one line per stdin line, so a driver
 * can interleave these samples with its own.
 */
#define _POSIX_C_SOURCE 199309L
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern void openblas_set_num_threads(int num_threads);

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int cmp_double(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static float* random_matrix(size_t count, unsigned* seed) {
  float* p = malloc((count ? count : 1) * sizeof(float));
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < count; ++i) {
    *seed = *seed * 1664525u + 1013904223u;
    p[i] = (float)((*seed >> 8) * (1.0 / 16777216.0) * 2.0 - 1.0);
  }
  return p;
}

static void run_shape(int m, int n, int k, int ta, int tb, int threads, int samples, double min_ms) {
  unsigned seed = 12345u;
  float* a = random_matrix((size_t)m * k, &seed);
  float* b = random_matrix((size_t)k * n, &seed);
  float* c = random_matrix((size_t)m * n, &seed);
  const int lda = ta ? m : k, ldb = tb ? k : n;
  const enum CBLAS_TRANSPOSE opa = ta ? CblasTrans : CblasNoTrans;
  const enum CBLAS_TRANSPOSE opb = tb ? CblasTrans : CblasNoTrans;
#define CALL() cblas_sgemm(CblasRowMajor, opa, opb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n)
  /* Warm up (at least 3 calls and ~min_ms), estimating the per-call time. */
  int calls = 0;
  const double w0 = now_ms();
  do {
    CALL();
    ++calls;
  } while (calls < 3 || now_ms() - w0 < min_ms);
  const double per_call = (now_ms() - w0) / calls;
  int reps = (int)(min_ms / (per_call > 1e-6 ? per_call : 1e-6));
  if (reps < 1) reps = 1;
  double* t = malloc(sizeof(double) * (samples > 0 ? samples : 1));
  for (int s = 0; s < samples; ++s) {
    const double t0 = now_ms();
    for (int r = 0; r < reps; ++r) CALL();
    t[s] = (now_ms() - t0) / reps;
  }
#undef CALL
  qsort(t, samples, sizeof(double), cmp_double);
  const double median = samples % 2 ? t[samples / 2] : 0.5 * (t[samples / 2 - 1] + t[samples / 2]);
  const double gflops = 2.0 * m * n * k / (median * 1e6);
  printf("{\"m\":%d,\"n\":%d,\"k\":%d,\"transA\":%s,\"transB\":%s,\"threads\":%d,\"gflops\":%.3f,\"median_ms\":%.6f}\n", m, n, k,
         ta ? "true" : "false", tb ? "true" : "false", threads, gflops, median);
  fflush(stdout);
  free(t);
  free(a);
  free(b);
  free(c);
}

static int usage(void) {
  fprintf(stderr,
          "usage: gemm_openblas THREADS [SAMPLES [MIN_MS]] m,n,k[,transA,transB]...\n"
          "       gemm_openblas --serve THREADS   (stdin: m n k transA transB samples min_ms)\n");
  return 2;
}

int main(int argc, char** argv) {
  if (argc >= 3 && strcmp(argv[1], "--serve") == 0) {
    const int threads = atoi(argv[2]);
    if (threads < 1) return usage();
    openblas_set_num_threads(threads);
    int m, n, k, ta, tb, samples;
    double min_ms;
    char line[256];
    while (fgets(line, sizeof line, stdin)) {
      if (sscanf(line, "%d %d %d %d %d %d %lf", &m, &n, &k, &ta, &tb, &samples, &min_ms) != 7 || m < 1 || n < 1 ||
          k < 1 || samples < 1) {
        printf("{\"error\":\"bad request\"}\n");
        fflush(stdout);
        continue;
      }
      run_shape(m, n, k, ta, tb, threads, samples, min_ms);
    }
    return 0;
  }
  if (argc < 3) return usage();
  const int threads = atoi(argv[1]);
  if (threads < 1) return usage();
  openblas_set_num_threads(threads);
  int i = 2, samples = 7;
  double min_ms = 50;
  if (i < argc && !strchr(argv[i], ',')) samples = atoi(argv[i++]);
  if (i < argc && !strchr(argv[i], ',')) min_ms = atof(argv[i++]);
  if (samples < 1) return usage();
  for (; i < argc; ++i) {
    int m = 0, n = 0, k = 0, ta = 0, tb = 0;
    if (sscanf(argv[i], "%d,%d,%d,%d,%d", &m, &n, &k, &ta, &tb) < 3 || m < 1 || n < 1 || k < 1) return usage();
    run_shape(m, n, k, ta, tb, threads, samples, min_ms);
  }
  return 0;
}
