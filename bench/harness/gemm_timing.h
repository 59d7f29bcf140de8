/*
 * Timing loop and command line shared by the C GEMM harnesses (bench/openblas/gemm_openblas.c,
 * bench/native/gemm_native.cc), so a peer and edgetensor are timed the same way, without any
 * JS call in between. Built and driven by bench/gemm-peers.mjs.
 *
 *   HARNESS THREADS [SAMPLES [MIN_MS]] SHAPE...     SHAPE = m,n,k[,transA,transB]
 *   HARNESS --serve THREADS                        stdin: "m n k transA transB samples min_ms"
 *
 * Row-major C = op(A) op(B). Each shape is warmed up, then timed in SAMPLES samples of enough
 * calls to last MIN_MS; prints one JSON line per shape:
 *   {"m":..,"n":..,"k":..,"transA":..,"transB":..,"threads":..,"gflops":..,"median_ms":..}
 * with median_ms the median per-call time. --serve answers one line per stdin line, so a driver
 * can interleave these samples with its own.
 *
 * Include once, from the harness's only translation unit, then call gemm_harness_main.
 */
#ifndef EDGETENSOR_BENCH_GEMM_TIMING_H
#define EDGETENSOR_BENCH_GEMM_TIMING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* c = op(a) op(b), row-major, m x n x k; ta / tb say whether a / b are stored transposed. */
typedef void (*gemm_harness_fn)(int m, int n, int k, int ta, int tb, const float* a, const float* b, float* c);
typedef void (*gemm_harness_threads_fn)(int threads);

static double gemm_harness_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int gemm_harness_cmp_double(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static float* gemm_harness_random_matrix(size_t count, unsigned* seed) {
  float* p = (float*)malloc((count ? count : 1) * sizeof(float));
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

static void gemm_harness_run_shape(gemm_harness_fn gemm, int m, int n, int k, int ta, int tb, int threads,
                                   int samples, double min_ms) {
  unsigned seed = 12345u;
  float* a = gemm_harness_random_matrix((size_t)m * k, &seed);
  float* b = gemm_harness_random_matrix((size_t)k * n, &seed);
  float* c = gemm_harness_random_matrix((size_t)m * n, &seed);
  /* Warm up (at least 3 calls and ~min_ms), estimating the per-call time. */
  int calls = 0;
  const double w0 = gemm_harness_now_ms();
  do {
    gemm(m, n, k, ta, tb, a, b, c);
    ++calls;
  } while (calls < 3 || gemm_harness_now_ms() - w0 < min_ms);
  const double per_call = (gemm_harness_now_ms() - w0) / calls;
  int reps = (int)(min_ms / (per_call > 1e-6 ? per_call : 1e-6));
  if (reps < 1) reps = 1;
  double* t = (double*)malloc(sizeof(double) * samples);
  for (int s = 0; s < samples; ++s) {
    const double t0 = gemm_harness_now_ms();
    for (int r = 0; r < reps; ++r) gemm(m, n, k, ta, tb, a, b, c);
    t[s] = (gemm_harness_now_ms() - t0) / reps;
  }
  qsort(t, samples, sizeof(double), gemm_harness_cmp_double);
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

static int gemm_harness_usage(const char* name) {
  fprintf(stderr,
          "usage: %s THREADS [SAMPLES [MIN_MS]] m,n,k[,transA,transB]...\n"
          "       %s --serve THREADS   (stdin: m n k transA transB samples min_ms)\n",
          name, name);
  return 2;
}

static int gemm_harness_main(int argc, char** argv, const char* name, gemm_harness_threads_fn set_threads,
                             gemm_harness_fn gemm) {
  if (argc >= 3 && strcmp(argv[1], "--serve") == 0) {
    const int threads = atoi(argv[2]);
    if (threads < 1) return gemm_harness_usage(name);
    set_threads(threads);
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
      gemm_harness_run_shape(gemm, m, n, k, ta, tb, threads, samples, min_ms);
    }
    return 0;
  }
  if (argc < 3) return gemm_harness_usage(name);
  const int threads = atoi(argv[1]);
  if (threads < 1) return gemm_harness_usage(name);
  set_threads(threads);
  int i = 2, samples = 7;
  double min_ms = 50;
  if (i < argc && !strchr(argv[i], ',')) samples = atoi(argv[i++]);
  if (i < argc && !strchr(argv[i], ',')) min_ms = atof(argv[i++]);
  if (samples < 1) return gemm_harness_usage(name);
  for (; i < argc; ++i) {
    int m = 0, n = 0, k = 0, ta = 0, tb = 0;
    if (sscanf(argv[i], "%d,%d,%d,%d,%d", &m, &n, &k, &ta, &tb) < 3 || m < 1 || n < 1 || k < 1)
      return gemm_harness_usage(name);
    gemm_harness_run_shape(gemm, m, n, k, ta, tb, threads, samples, min_ms);
  }
  return 0;
}

#endif
