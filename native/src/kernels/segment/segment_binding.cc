// JS entry point of the segment-sum family: unsortedSegmentSum(x, segmentIds, inner, numSegments,
// out) with x viewed as [n, inner] (n = segmentIds.length) and out as [numSegments, inner], on
// Float32Array or Int32Array. Every argument, each segment id included, is validated before any
// memory is touched. Rows that share an id add into one output row, so threads never split the
// rows: each owns blocks of segments of the output, and adds the rows that land in them, in
// increasing order, so the sums are the same on any number of threads.
#include <cstdint>
#include <string>

#include "bindings.h"
#include "cpu/scratch.h"
#include "kernels/segment/segment_kernels.h"
#include "kernels/simd/dispatch.h"
#include "napi_args.h"

namespace et {
namespace {

const SegmentTable& Kernels() {
  return PickTable(scalar::GetSegmentTable, avx2::GetSegmentTable, avx512::GetSegmentTable);
}

// Output elements per block of segments, at least: 16 KiB, so that threads share no line but
// where blocks meet and each memset is a long one, and still many blocks to deal out.
constexpr int64_t kBlockElements = 4096;

Napi::Value UnsortedSegmentSum(const CallInfo& info) {
  Args args(info, "unsortedSegmentSum", 5);
  const int32_t* ids = args.Int32(1, "segmentIds", 0);
  const int64_t n = static_cast<int64_t>(info[1].As<Napi::TypedArray>().ElementLength());
  const int64_t inner = args.Size(2, "inner");
  const int64_t num_segments = args.Size(3, "numSegments");
  const int64_t n_in = CheckedElementCount(args, 2, "inner", {n, inner});
  const int64_t n_out = CheckedElementCount(args, 3, "numSegments", {num_segments, inner});
  const TypedView x = args.AnyTyped(0, "x", n_in);
  if (x.type == ElemType::kUint8) args.Fail(0, "x", "must be a Float32Array or an Int32Array, got Uint8Array");
  const TypedView out = args.AnyTyped(4, "out", n_out);
  if (out.type != x.type) {
    args.Fail(4, "out", std::string("must be a ") + ElemTypeName(x.type) + " like x, got " + ElemTypeName(out.type));
  }
  for (int64_t i = 0; i < n; ++i) {
    if (ids[i] < 0 || ids[i] >= num_segments) {
      args.FailRange(1, "segmentIds", "has segment id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                                          ", outside the range [0, " + std::to_string(num_segments) + ")");
    }
  }
  if (n_out == 0) return info.Env().Undefined();

  const SegmentSumFn fn = Kernels().sum[x.type == ElemType::kFloat32 ? 0 : 1];
  const void* xp = x.data;
  void* op = out.data;
  int shift = 0;
  int64_t parts = 1;
  if ((n + num_segments) * inner >= kParallelWork) {
    while (parts * 2 <= NumThreads()) parts *= 2;
    while ((int64_t{1} << shift) * inner < kBlockElements) ++shift;
  }
  // Small work, one thread, or too few segments to deal out (a sum of many rows into a few:
  // splitting the columns instead, [40000, 300] into 100 took 3.8 ms on two threads, 2.6 ms on
  // one, the threads' tiles meeting inside a cache line of most rows).
  if (parts == 1 || ((num_segments - 1) >> shift) + 1 < 2 * parts) {
    fn(xp, ids, nullptr, n, inner, op, num_segments, SegmentPart{kOneBlock, 0, 0});
    return info.Env().Undefined();
  }
  // Each thread first lists its own rows, without a branch: one branch per row on its owner,
  // which random ids make a coin toss, left two threads 2.5 times slower than one on
  // [20000, 16] rows into 3000 segments.
  const int64_t mask = parts - 1;
  auto body = [=](int64_t part, int) {
    thread_local Scratch<int64_t> rows_scratch;
    int64_t* rows = rows_scratch.Get(n);
    int64_t count = 0;
    for (int64_t i = 0; i < n; ++i) {
      rows[count] = i;
      count += ((ids[i] >> shift) & mask) == part;
    }
    fn(xp, ids, rows, count, inner, op, num_segments, SegmentPart{shift, part, mask});
  };
  ParallelTaskEach(parts, body);
  return info.Env().Undefined();
}

}  // namespace

void RegisterSegment(Napi::Env env, Napi::Object exports) {
  Export<UnsortedSegmentSum>(env, exports, "unsortedSegmentSum");
}

}  // namespace et
