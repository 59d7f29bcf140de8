// Keeps memory that the process frees in its malloc heap for reuse, instead of handing it back
// to the kernel at once, where glibc's malloc is in use and the user has not tuned it.
//
// Why: every array a user reads back (data(), dataSync(), and any fresh typed array) is a new
// V8 backing store from malloc, and V8's garbage collector frees them in bulk, tens of MiB at a
// time. With glibc's defaults that freed top of the heap is trimmed (trim threshold 128 KiB,
// doubled as the mmap threshold adapts), so each next array is made of fresh pages, and every
// 4 KiB page costs a page fault: a 256 KiB readback took 64 faults, 163 us where the copy takes
// 31 (AMD EPYC VM, one thread), and a 256x256 matMul called from an async helper ran at 0.8x
// of the same loop written inline, as the GC's timing decided how often the pages were fresh.
// Kept in the heap, the pages are reused warm: memory held for reuse is bounded by the trim
// threshold, and allocations too big for the heap (past the mmap threshold) still go straight
// to the kernel and back.
#pragma once

namespace et {

// Applies the retention settings unless MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_ or a
// glibc.malloc tunable in GLIBC_TUNABLES says the user chose them. Returns whether it did.
bool RetainFreedHeap();

}  // namespace et
