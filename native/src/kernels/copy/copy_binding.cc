// JS entry points of the copy family: transpose, slice, concat, gather, stridedCopy (tile, pad,
// broadcast), select (where) and oneHot on Float32Array,
// Int32Array or Uint8Array. Every argument (shapes, permutation, ranges, indices, buffer
// lengths, element types) is validated before any memory is touched.
#include <string>
#include <vector>

#include "bindings.h"
#include "kernels/copy/copy_kernels.h"
#include "napi_args.h"

namespace et {
namespace {

size_t ElemBytes(ElemType t) { return t == ElemType::kUint8 ? 1 : 4; }

void RequireSameType(const Args& args, size_t index, const char* name, const TypedView& v, ElemType want) {
  if (v.type != want) {
    args.Fail(index, name, std::string("must be a ") + ElemTypeName(want) + " like x, got " + ElemTypeName(v.type));
  }
}

// A JS array of exactly `count` non-negative integers (below 2^53), into *out (cleared first):
// Dims for a per-axis list (count is a checked rank), a reused std::vector for one entry per input.
template <typename List>
void ReadIntList(const Args& args, size_t index, const char* name, int64_t count, List* out) {
  const Napi::Value v = args.info()[index];
  if (!v.IsArray()) args.Fail(index, name, "must be an array of non-negative integers");
  const auto arr = v.As<Napi::Array>();
  if (arr.Length() != static_cast<uint32_t>(count)) {
    args.FailRange(index, name, "must have " + std::to_string(count) + " entries, got " + std::to_string(arr.Length()));
  }
  out->clear();
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    const Napi::Value e = arr.Get(i);
    const double d = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : -1.0;
    if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<int64_t>(d))) {
      args.FailRange(index, name, "has an invalid entry at position " + std::to_string(i) +
                                      " (entries are non-negative integers)");
    }
    out->push_back(static_cast<int64_t>(d));
  }
}

// A per-axis list of `rank` entries (perm, begin, size, strides).
Dims AxisList(const Args& args, size_t index, const char* name, int64_t rank) {
  Dims list;
  ReadIntList(args, index, name, rank, &list);
  return list;
}

Napi::Value Transpose(const CallInfo& info) {
  Args args(info, "transpose", 4);
  const Dims shape = args.Shape(1, "shape");
  const int64_t n = CheckedElementCount(args, 1, "shape", shape);
  const Dims perm = AxisList(args, 2, "perm", static_cast<int64_t>(shape.size()));
  bool seen[kMaxRank] = {};
  for (size_t k = 0; k < perm.size(); ++k) {
    if (perm[k] >= static_cast<int64_t>(shape.size()) || seen[perm[k]]) {
      args.FailRange(2, "perm", "must be a permutation of 0.." + std::to_string(static_cast<int64_t>(shape.size()) - 1) +
                                    " (entry " + std::to_string(perm[k]) + " at position " + std::to_string(k) +
                                    (perm[k] >= static_cast<int64_t>(shape.size()) ? " is out of range)" : " is repeated)"));
    }
    seen[perm[k]] = true;
  }
  const TypedView x = args.AnyTyped(0, "x", n);
  const TypedView out = args.AnyTyped(3, "out", n);
  RequireSameType(args, 3, "out", out, x.type);
  TransposeCopy(x.data, out.data, shape, perm, ElemBytes(x.type));
  return info.Env().Undefined();
}

Napi::Value Slice(const CallInfo& info) {
  Args args(info, "slice", 5);
  const Dims shape = args.Shape(1, "shape");
  const int64_t n = CheckedElementCount(args, 1, "shape", shape);
  const Dims begin = AxisList(args, 2, "begin", static_cast<int64_t>(shape.size()));
  const Dims size = AxisList(args, 3, "size", static_cast<int64_t>(shape.size()));
  for (size_t k = 0; k < shape.size(); ++k) {
    if (begin[k] > shape[k] || size[k] > shape[k] - begin[k]) {
      args.FailRange(3, "size", "slice [" + std::to_string(begin[k]) + ", " + std::to_string(begin[k] + size[k]) +
                                    ") along axis " + std::to_string(k) + " exceeds its extent " +
                                    std::to_string(shape[k]));
    }
  }
  const int64_t n_out = CheckedElementCount(args, 3, "size", size);
  const TypedView x = args.AnyTyped(0, "x", n);
  const TypedView out = args.AnyTyped(4, "out", n_out);
  RequireSameType(args, 4, "out", out, x.type);
  SliceCopy(x.data, out.data, shape, begin, size, ElemBytes(x.type));
  return info.Env().Undefined();
}

Napi::Value Concat(const CallInfo& info) {
  Args args(info, "concat", 4);
  const Napi::Value list = info[0];
  if (!list.IsArray()) args.Fail(0, "inputs", "must be an array of typed arrays");
  const auto arr = list.As<Napi::Array>();
  const int64_t outer = args.Size(1, "outer");
  // Per-input lists of this thread, reused from call to call.
  thread_local std::vector<int64_t> inners;
  thread_local std::vector<const void*> inputs;
  ReadIntList(args, 2, "inners", static_cast<int64_t>(arr.Length()), &inners);
  int64_t width = 0;
  for (const int64_t w : inners) {
    width += w;
    if (width > 9007199254740991LL) args.FailRange(2, "inners", "sum to too many elements");
  }
  const int64_t n_out = CheckedElementCount(args, 2, "inners", {outer, width});
  const TypedView out = args.AnyTyped(3, "out", n_out);
  inputs.assign(arr.Length(), nullptr);
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    const Napi::Value v = arr.Get(i);
    const std::string what = "entry " + std::to_string(i);
    if (!v.IsTypedArray()) args.Fail(0, "inputs", what + " must be a " + ElemTypeName(out.type) + " like out");
    const auto t = v.As<Napi::TypedArray>();
    const napi_typedarray_type want = out.type == ElemType::kFloat32 ? napi_float32_array
                                      : out.type == ElemType::kInt32 ? napi_int32_array
                                                                     : napi_uint8_array;
    if (t.TypedArrayType() != want) args.Fail(0, "inputs", what + " must be a " + ElemTypeName(out.type) + " like out");
    const int64_t need = CheckedElementCount(args, 2, "inners", {outer, inners[i]});
    if (static_cast<int64_t>(t.ElementLength()) < need) {
      args.FailRange(0, "inputs", what + " is too short: needs " + std::to_string(need) + " elements, has " +
                                      std::to_string(t.ElementLength()));
    }
    inputs[i] = static_cast<const uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset();
  }
  ConcatCopy(inputs, inners, outer, out.data, ElemBytes(out.type));
  return info.Env().Undefined();
}

Napi::Value Gather(const CallInfo& info) {
  Args args(info, "gather", 6);
  const int64_t outer = args.Size(1, "outer");
  const int64_t n = args.Size(2, "n");
  const int64_t inner = args.Size(3, "inner");
  const int64_t n_in = CheckedElementCount(args, 2, "n", {outer, n, inner});
  const int32_t* indices = args.Int32(4, "indices", 0);
  const int64_t m = static_cast<int64_t>(info[4].As<Napi::TypedArray>().ElementLength());
  const int64_t n_out = CheckedElementCount(args, 4, "indices", {outer, m, inner});
  const TypedView x = args.AnyTyped(0, "x", n_in);
  const TypedView out = args.AnyTyped(5, "out", n_out);
  RequireSameType(args, 5, "out", out, x.type);
  for (int64_t j = 0; j < m; ++j) {
    if (indices[j] < 0 || indices[j] >= n) {
      args.FailRange(4, "indices", "has index " + std::to_string(indices[j]) + " at position " + std::to_string(j) +
                                       ", outside the range [0, " + std::to_string(n) + ")");
    }
  }
  GatherCopy(x.data, outer, n, inner, indices, m, out.data, ElemBytes(x.type));
  return info.Env().Undefined();
}

// The largest element index a strided block touches must lie inside a buffer of `length`.
void CheckReach(const Args& args, size_t index, const char* name, int64_t offset, const Dims& strides, const Dims& shape,
                size_t length) {
  int64_t reach = offset;
  for (size_t k = 0; k < shape.size(); ++k) {
    int64_t step;
    if (__builtin_mul_overflow(shape[k] - 1, strides[k], &step) || __builtin_add_overflow(reach, step, &reach)) {
      args.FailRange(index, name, "is addressed past any possible length by these strides");
    }
  }
  if (static_cast<uint64_t>(reach) >= length) {
    args.FailRange(index, name, "is too short for the block: the strides reach element " + std::to_string(reach) +
                                    ", but it has " + std::to_string(length) + " elements");
  }
}

Napi::Value Strided(const CallInfo& info) {
  Args args(info, "stridedCopy", 7);
  const Dims shape = args.Shape(6, "shape");
  const int64_t n = CheckedElementCount(args, 6, "shape", shape);
  const auto rank = static_cast<int64_t>(shape.size());
  const int64_t x_offset = args.Size(1, "xOffset");
  const Dims x_strides = AxisList(args, 2, "xStrides", rank);
  const int64_t out_offset = args.Size(4, "outOffset");
  const Dims out_strides = AxisList(args, 5, "outStrides", rank);
  const TypedView x = args.AnyTyped(0, "x", 0);
  const TypedView out = args.AnyTyped(3, "out", 0);
  RequireSameType(args, 3, "out", out, x.type);
  if (n == 0) return info.Env().Undefined();
  CheckReach(args, 0, "x", x_offset, x_strides, shape, x.length);
  CheckReach(args, 3, "out", out_offset, out_strides, shape, out.length);
  StridedCopy(x.data, x_offset, x_strides, out.data, out_offset, out_strides, shape, ElemBytes(x.type));
  return info.Env().Undefined();
}

Napi::Value Select(const CallInfo& info) {
  Args args(info, "select", 5);
  const int64_t n = args.Size(4, "n");
  const uint8_t* cond = args.Uint8(0, "cond", n);
  const TypedView a = args.AnyTyped(1, "a", n);
  const TypedView b = args.AnyTyped(2, "b", n);
  const TypedView out = args.AnyTyped(3, "out", n);
  RequireSameType(args, 2, "b", b, a.type);
  RequireSameType(args, 3, "out", out, a.type);
  SelectCopy(cond, a.data, b.data, out.data, n, ElemBytes(a.type));
  return info.Env().Undefined();
}

Napi::Value OneHot(const CallInfo& info) {
  Args args(info, "oneHot", 4);
  const int64_t n = args.Size(1, "n");
  const int64_t depth = args.Size(2, "depth");
  const int64_t total = CheckedElementCount(args, 2, "depth", {n, depth});
  const int32_t* indices = args.Int32(0, "indices", n);
  int32_t* out = args.Int32(3, "out", total);
  OneHotFill(indices, n, depth, out);
  return info.Env().Undefined();
}

}  // namespace

void RegisterCopy(Napi::Env env, Napi::Object exports) {
  Export<Transpose>(env, exports, "transpose");
  Export<Slice>(env, exports, "slice");
  Export<Concat>(env, exports, "concat");
  Export<Gather>(env, exports, "gather");
  Export<Strided>(env, exports, "stridedCopy");
  Export<Select>(env, exports, "select");
  Export<OneHot>(env, exports, "oneHot");
}

}  // namespace et
