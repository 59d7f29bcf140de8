// The optimizer-update kernel family's function table: in-place updates of a float32
// parameter and its slots over elements [i0, i1). Compiled per ISA from optim_impl.h.
// Formulas: see OPTIMIZER_KERNELS in src/backend/kernel.ts.
#pragma once

#include <stdint.h>

namespace et {

struct SgdParams { float lr; };
struct MomentumParams { float lr, momentum; bool nesterov; };
// bias1 = 1 - beta1^t, bias2 = 1 - beta2^t (computed by the caller in double precision).
struct AdamParams { float lr, beta1, beta2, epsilon, bias1, bias2, weight_decay; };
struct RmspropParams { float lr, decay, momentum, epsilon; bool centered; };

struct OptimTable {
  void (*sgd)(float* p, const float* g, int64_t i0, int64_t i1, const SgdParams& a);
  void (*momentum)(float* p, const float* g, float* accum, int64_t i0, int64_t i1, const MomentumParams& a);
  void (*adam)(float* p, const float* g, float* m, float* v, int64_t i0, int64_t i1, const AdamParams& a);
  void (*rmsprop)(float* p, const float* g, float* ms, float* mom, float* mg, int64_t i0, int64_t i1, const RmspropParams& a);
};

namespace scalar { const OptimTable* GetOptimTable(); }
namespace avx2 { const OptimTable* GetOptimTable(); }
namespace avx512 { const OptimTable* GetOptimTable(); }

}  // namespace et
