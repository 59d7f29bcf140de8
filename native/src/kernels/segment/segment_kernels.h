// The segment-sum kernel family's function table (UnsortedSegmentSum: Gather's adjoint). x is
// [n, inner], out [num_segments, inner]; a call writes the part of out that `part` names, and
// only that part, so calls for different parts may run at once although rows of x that share
// a segment id all add into the same output row. Compiled per ISA from segment_impl.h.
#pragma once

#include <stdint.h>

namespace et {

// The output a call owns: the segments s with ((s >> shift) & mask) == part, blocks of 2^shift
// segments dealt out in turn to mask + 1 parts (so that frequent ids, often the low ones of a
// vocabulary sorted by frequency, spread over the parts; powers of two make a row's owner a
// shift and a mask).
struct SegmentPart {
  int shift;
  int64_t part, mask;
};

// A shift no segment index reaches: one block holding every segment.
constexpr int kOneBlock = 62;

// Zeroes the owned output, then adds x's row i into row ids[i] for i = rows[0], ...,
// rows[count - 1] (null rows: i = 0, ..., count - 1), which must all land in the owned part.
// ids must be in [0, num_segments).
using SegmentSumFn = void (*)(const void* x, const int32_t* ids, const int64_t* rows, int64_t count, int64_t inner,
                              void* out, int64_t num_segments, const SegmentPart& part);

struct SegmentTable {
  SegmentSumFn sum[2];  // [float32, int32 (wrapping like Int32Array)]
};

namespace scalar { const SegmentTable* GetSegmentTable(); }
namespace avx2 { const SegmentTable* GetSegmentTable(); }
namespace avx512 { const SegmentTable* GetSegmentTable(); }

}  // namespace et
