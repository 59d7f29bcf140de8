// JS entry point of the reduction family: reduce(op, x, outer, reduce, inner, out) with x
// viewed as [outer, reduce, inner] and out as [outer, inner]. Validates every argument,
// fills empty reductions with the op's identity, splits large work across the pool (over
// outer rows, or over inner columns when there are few rows) and calls the active ISA's table.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "bindings.h"
#include "kernels/reduce/reduce_kernels.h"
#include "kernels/simd/dispatch.h"
#include "napi_args.h"

namespace et {
namespace {

const char* const kReduceNames[kNumReduceOps] = {"Sum", "Prod", "Max", "Min", "ArgMax", "ArgMin", "LogSumExp"};

const ReduceTable& Kernels() {
  return PickTable(scalar::GetReduceTable, avx2::GetReduceTable, avx512::GetReduceTable);
}

// Column tiles of the inner > 1 kernels: inner splits stay multiples of this.
constexpr int64_t kColumnChunk = 256;

// The result of reducing nothing: Sum 0, Prod 1, Max -inf, Min +inf, LogSumExp -inf
// (int32: the type's extremes stand in for the infinities).
template <typename T>
void FillIdentity(int op, T* out, int64_t n, T lowest, T highest) {
  T v = 0;
  switch (op) {
    case kReduceProd: v = 1; break;
    case kReduceMax: case kReduceLogSumExp: v = lowest; break;
    case kReduceMin: v = highest; break;
    default: break;
  }
  for (int64_t i = 0; i < n; ++i) out[i] = v;
}

Napi::Value Reduce(const CallInfo& info) {
  Args args(info, "reduce", 6);
  const int op = args.OneOf(0, "op", kReduceNames, kNumReduceOps, "reduction");
  const char* name = kReduceNames[op];
  const int64_t outer = args.Size(2, "outer");
  const int64_t reduce = args.Size(3, "reduce");
  const int64_t inner = args.Size(4, "inner");
  const int64_t total = CheckedElementCount(args, 3, "reduce", {outer, reduce, inner});
  const int64_t nout = CheckedElementCount(args, 4, "inner", {outer, inner});
  const TypedView x = args.AnyTyped(1, "x", total);
  const bool arg = op == kReduceArgMax || op == kReduceArgMin;
  if (x.type == ElemType::kUint8 || (op == kReduceLogSumExp && x.type != ElemType::kFloat32)) {
    args.Fail(1, "x", std::string("must be a Float32Array") + (op == kReduceLogSumExp ? "" : " or an Int32Array") +
                          " for " + name + ", got " + ElemTypeName(x.type));
  }
  if (arg && reduce == 0) {
    args.FailRange(3, "reduce", std::string("must be at least 1 for ") + name + ": an empty reduction has no index");
  }
  if (arg && reduce > INT32_MAX) {
    args.FailRange(3, "reduce", std::string("is too large for ") + name + ": indices must fit in an Int32Array");
  }
  const ElemType out_type = arg ? ElemType::kInt32 : x.type;
  const TypedView out = args.AnyTyped(5, "out", nout);
  if (out.type != out_type) {
    args.Fail(5, "out", std::string("must be a ") + ElemTypeName(out_type) + " for " + name + " of a " +
                            ElemTypeName(x.type) + ", got " + ElemTypeName(out.type));
  }
  if (nout == 0) return info.Env().Undefined();
  if (reduce == 0) {
    if (out.type == ElemType::kFloat32) {
      FillIdentity<float>(op, static_cast<float*>(out.data), nout, -INFINITY, INFINITY);
    } else {
      FillIdentity<int32_t>(op, static_cast<int32_t*>(out.data), nout, INT32_MIN, INT32_MAX);
    }
    return info.Env().Undefined();
  }

  const ReduceFn fn = Kernels().fn[op][x.type == ElemType::kFloat32 ? 0 : 1];
  const void* xp = x.data;
  void* op_ = out.data;
  if (total < kParallelWork) {
    fn(xp, op_, 0, outer, reduce, inner, 0, inner);
  } else if (inner == 1 || outer >= 2 * NumThreads()) {
    auto body = [=](int64_t b, int64_t e) { fn(xp, op_, b, e, reduce, inner, 0, inner); };
    SplitWork(outer, reduce * inner, body);
  } else {
    // Few long rows of many columns: split the columns, in whole tiles.
    const int64_t tiles = (inner + kColumnChunk - 1) / kColumnChunk;
    auto body = [=](int64_t b, int64_t e) {
      const int64_t c1 = e * kColumnChunk < inner ? e * kColumnChunk : inner;
      fn(xp, op_, 0, outer, reduce, inner, b * kColumnChunk, c1);
    };
    SplitRange(tiles, 1, body);
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterReduce(Napi::Env env, Napi::Object exports) {
  Export<Reduce>(env, exports, "reduce");
}

}  // namespace et
