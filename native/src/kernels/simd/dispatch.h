// Baseline-side dispatch helpers shared by the kernel families' bindings: picking a family's
// function table for the active ISA, and splitting a range of work across the thread pool.
// Each family compiles its *_impl.h three times (foo_scalar.cc, foo_avx2.cc, foo_avx512.cc),
// each unit exporting `const Table* et::<isa>::GetFooTable()`; a wide-ISA table is only
// reached after ActiveIsa() said the CPU has that ISA. Never include this from ISA units.
#pragma once

#include <stdint.h>

#include "cpu/cpu_features.h"
#include "cpu/thread_pool.h"

namespace et {

template <typename Table>
const Table& PickTable(const Table* (*scalar)(), const Table* (*avx2)(), const Table* (*avx512)()) {
  switch (ActiveIsa()) {
    case Isa::kAvx512: return *avx512();
    case Isa::kAvx2: return *avx2();
    default: return *scalar();
  }
}

// Below this many elements of work a kernel runs on the calling thread.
constexpr int64_t kParallelWork = int64_t{1} << 16;

// Runs f(begin, end) over [0, n): in one call, or split across the pool when there are at
// least two chunks of min_chunk items.
template <typename F>
void SplitRange(int64_t n, int64_t min_chunk, F& f) {
  if (min_chunk < 1) min_chunk = 1;
  if (NumThreads() > 1 && n >= 2 * min_chunk) {
    auto body = [&f](int64_t b, int64_t e, int) { f(b, e); };
    ParallelForEach(n, min_chunk, body);
  } else {
    f(0, n);
  }
}

// Runs f(begin, end) over [0, n) items of `work_per_item` elements each: inline when the whole
// is small, else in chunks of about kParallelWork / 2 elements across the pool.
template <typename F>
void SplitWork(int64_t n, int64_t work_per_item, F& f) {
  if (n * work_per_item < kParallelWork) {
    f(0, n);
  } else {
    const int64_t per = work_per_item < 1 ? 1 : work_per_item;
    SplitRange(n, per >= kParallelWork / 2 ? 1 : kParallelWork / 2 / per, f);
  }
}

}  // namespace et
