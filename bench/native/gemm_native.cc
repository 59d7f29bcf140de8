// edgetensor's native GEMM driver (native/src/kernels/gemm) timed from C++, without the N-API
// call the addon adds, so it compares like for like with bench/openblas/gemm_openblas.c. Built
// from the addon's own sources and ISA flags by bench/gemm-peers.mjs; the command line and
// output are bench/harness/gemm_timing.h's.
#include "../harness/gemm_timing.h"
#include "cpu/thread_pool.h"
#include "kernels/gemm/gemm_driver.h"

namespace {

void NativeGemm(int m, int n, int k, int ta, int tb, const float* a, const float* b, float* c) {
  et::gemm::Problem pr;
  pr.batch = 1;
  pr.m = m;
  pr.n = n;
  pr.k = k;
  pr.trans_a = ta != 0;
  pr.trans_b = tb != 0;
  pr.a_batch_stride = 0;
  pr.b_batch_stride = 0;
  et::gemm::Run(pr, a, b, c);
}

void SetThreads(int threads) { et::SetNumThreads(threads); }

}  // namespace

int main(int argc, char** argv) { return gemm_harness_main(argc, argv, "gemm_native", SetThreads, NativeGemm); }
