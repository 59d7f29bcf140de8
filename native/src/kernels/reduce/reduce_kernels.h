// The reduction kernel family's function table. x is viewed as [outer, reduce, inner]; a
// kernel writes out[o * inner + i] for o in [o0, o1) and i in [i0, i1) (reduce >= 1; the
// binding handles reduce = 0). Compiled per ISA from reduce_impl.h; plain C++ only.
#pragma once

#include <stdint.h>

namespace et {

// Order matches the names in reduce_binding.cc (REDUCE_KERNELS of src/backend/kernel.ts).
enum ReduceOp : int {
  kReduceSum, kReduceProd, kReduceMax, kReduceMin, kReduceArgMax, kReduceArgMin, kReduceLogSumExp,
  kNumReduceOps
};

using ReduceFn = void (*)(const void* x, void* out, int64_t o0, int64_t o1, int64_t reduce,
                          int64_t inner, int64_t i0, int64_t i1);

struct ReduceTable {
  ReduceFn fn[kNumReduceOps][2];  // [op][float32, int32]; null when unsupported
};

namespace scalar { const ReduceTable* GetReduceTable(); }
namespace avx2 { const ReduceTable* GetReduceTable(); }
namespace avx512 { const ReduceTable* GetReduceTable(); }

}  // namespace et
