// One persistent pool of worker threads for every kernel. The calling thread takes part in
// each job, so a pool of N threads has N-1 workers. Work smaller than one chunk, and work
// started from inside a job, runs inline on the caller without waking anyone.
//
// The entry points take a plain function pointer and a context pointer (not std::function)
// so that ISA-specific translation units can use them without instantiating shared inline
// library templates under their wider instruction-set flags.
#pragma once

#include <cstdint>

namespace et {

// fn(ctx, begin, end, thread_index) over a static split of [0, n) into at most NumThreads()
// contiguous ranges of at least min_chunk items each.
using RangeFn = void (*)(void* ctx, int64_t begin, int64_t end, int thread_index);
void ParallelFor(int64_t n, int64_t min_chunk, RangeFn fn, void* ctx);

// fn(ctx, task, thread_index) for every task in [0, num_tasks), handed out dynamically;
// thread_index is in [0, NumThreads()) and stable for the duration of one call, so it can
// select per-thread scratch memory.
using TaskFn = void (*)(void* ctx, int64_t task, int thread_index);
void ParallelTasks(int64_t num_tasks, TaskFn fn, void* ctx);

int NumThreads();
// Resizes the pool (n >= 1). Called between jobs only; the JS side is single-threaded.
void SetNumThreads(int n);
// Cores this process may run on (the affinity mask), the default pool size.
int AvailableCores();

// Type-safe wrappers: f is any callable; it is only referenced during the call.
template <typename F>
void ParallelForEach(int64_t n, int64_t min_chunk, F& f) {
  ParallelFor(n, min_chunk,
              [](void* ctx, int64_t b, int64_t e, int t) { (*static_cast<F*>(ctx))(b, e, t); }, &f);
}
template <typename F>
void ParallelTaskEach(int64_t num_tasks, F& f) {
  ParallelTasks(num_tasks, [](void* ctx, int64_t i, int t) { (*static_cast<F*>(ctx))(i, t); }, &f);
}

}  // namespace et
