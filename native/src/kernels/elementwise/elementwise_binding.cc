// JS entry points of the elementwise family: unary, binary (NumPy broadcasting) and cast.
// Validates every argument, reduces a broadcast binary op to runs over the innermost
// (collapsed) dimension, splits large work across the thread pool and calls the active
// ISA's kernel table.
#include <cstring>
#include <string>

#include "bindings.h"
#include "kernels/elementwise/elementwise_kernels.h"
#include "kernels/simd/dispatch.h"
#include "napi_args.h"

namespace et {
namespace {

constexpr int64_t kMinChunk = kParallelWork / 2;

const char* const kUnaryNames[kNumUnaryOps] = {
    "Exp", "Log", "Log1p", "Sqrt", "Rsqrt", "Reciprocal", "Floor", "Round", "Relu6", "LeakyRelu",
    "Elu", "Selu", "Gelu", "Sigmoid", "Tanh", "Softplus", "Sin", "Cos", "ClipByValue",
    "Neg", "Abs", "Square", "Sign", "Relu"};
const char* const kBinaryNames[kNumBinaryOps] = {
    "Add", "Sub", "Mul", "Div", "FloorDiv", "Pow", "Maximum", "Minimum",
    "Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual"};

const ElementwiseTable& Kernels() {
  return PickTable(scalar::GetElementwiseTable, avx2::GetElementwiseTable, avx512::GetElementwiseTable);
}

size_t ElemBytes(ElemType t) { return t == ElemType::kUint8 ? 1 : 4; }

std::string ShapeString(const Dims& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

Napi::Value Unary(const CallInfo& info) {
  Args args(info, "unary", 6);
  const int op = args.OneOf(0, "op", kUnaryNames, kNumUnaryOps, "unary op");
  const int64_t n = args.Size(3, "n");
  const TypedView x = args.AnyTyped(1, "x", n);
  const TypedView out = args.AnyTyped(2, "out", n);
  const float alpha = static_cast<float>(args.Number(4, "alpha"));
  const float beta = static_cast<float>(args.Number(5, "beta"));
  const bool int_ok = op >= kFirstIntPreservingUnaryOp;
  if (x.type == ElemType::kUint8 || (x.type == ElemType::kInt32 && !int_ok)) {
    args.Fail(1, "x", std::string("must be a Float32Array") + (int_ok ? " or an Int32Array" : "") + " for " +
                          kUnaryNames[op] + ", got " + ElemTypeName(x.type));
  }
  if (out.type != x.type) {
    args.Fail(2, "out", std::string("must be a ") + ElemTypeName(x.type) + " like x, got " + ElemTypeName(out.type));
  }
  if (n == 0) return info.Env().Undefined();
  const ElementwiseTable& k = Kernels();
  if (x.type == ElemType::kFloat32) {
    const UnaryF32Fn fn = k.unary_f32[op];
    const float* xp = static_cast<const float*>(x.data);
    float* yp = static_cast<float*>(out.data);
    auto body = [=](int64_t b, int64_t e) { fn(xp + b, yp + b, e - b, alpha, beta); };
    SplitRange(n, kMinChunk, body);
  } else {
    const UnaryI32Fn fn = k.unary_i32[op];
    const int32_t* xp = static_cast<const int32_t*>(x.data);
    int32_t* yp = static_cast<int32_t*>(out.data);
    auto body = [=](int64_t b, int64_t e) { fn(xp + b, yp + b, e - b); };
    SplitRange(n, kMinChunk, body);
  }
  return info.Env().Undefined();
}

// A broadcast binary op after dropping size-1 dimensions and merging dimensions that are
// contiguous in both operands: rows of `run` elements, walked by an odometer over `dims`.
struct BroadcastPlan {
  Dims dims, a_strides, b_strides;  // outer dimensions (elements)
  int64_t rows = 1;
  int64_t run = 1;
  int mode = kBothVary;
};

BroadcastPlan PlanBroadcast(const Dims& a_shape, const Dims& b_shape, const Dims& out_shape) {
  const size_t rank = out_shape.size();
  Dims d, sa, sb;  // innermost first
  int64_t stride_a = 1, stride_b = 1;
  for (size_t i = rank; i-- > 0;) {
    const size_t off_a = rank - a_shape.size(), off_b = rank - b_shape.size();
    const int64_t da = i >= off_a ? a_shape[i - off_a] : 1;
    const int64_t db = i >= off_b ? b_shape[i - off_b] : 1;
    const int64_t dim = out_shape[i];
    if (dim != 1) {
      const int64_t ea = da == 1 ? 0 : stride_a, eb = db == 1 ? 0 : stride_b;
      if (!d.empty() && ea == sa.back() * d.back() && eb == sb.back() * d.back()) {
        d.back() *= dim;
      } else {
        d.push_back(dim);
        sa.push_back(ea);
        sb.push_back(eb);
      }
    }
    stride_a *= da;
    stride_b *= db;
  }
  BroadcastPlan plan;
  if (d.empty()) return plan;  // a single element
  plan.run = d[0];
  plan.mode = sa[0] == 0 ? kScalarA : sb[0] == 0 ? kScalarB : kBothVary;
  for (size_t i = d.size(); i-- > 1;) {
    plan.dims.push_back(d[i]);
    plan.a_strides.push_back(sa[i]);
    plan.b_strides.push_back(sb[i]);
    plan.rows *= d[i];
  }
  return plan;
}

Napi::Value Binary(const CallInfo& info) {
  Args args(info, "binary", 7);
  const int op = args.OneOf(0, "op", kBinaryNames, kNumBinaryOps, "binary op");
  const Dims a_shape = args.Shape(2, "aShape");
  const Dims b_shape = args.Shape(4, "bShape");
  const Dims out_shape = args.Shape(6, "outShape");
  const int64_t na = CheckedElementCount(args, 2, "aShape", a_shape);
  const int64_t nb = CheckedElementCount(args, 4, "bShape", b_shape);
  const int64_t nout = CheckedElementCount(args, 6, "outShape", out_shape);

  // outShape must be exactly the NumPy broadcast of the two shapes.
  const size_t rank = a_shape.size() > b_shape.size() ? a_shape.size() : b_shape.size();
  Dims expected = Dims::Zeros(rank);
  for (size_t i = 0; i < rank; ++i) {
    const size_t off_a = rank - a_shape.size(), off_b = rank - b_shape.size();
    const int64_t da = i >= off_a ? a_shape[i - off_a] : 1;
    const int64_t db = i >= off_b ? b_shape[i - off_b] : 1;
    if (da != db && da != 1 && db != 1) {
      args.FailRange(4, "bShape", "shapes " + ShapeString(a_shape) + " (aShape) and " + ShapeString(b_shape) +
                                      " (bShape) cannot be broadcast together (dimension " + std::to_string(i) +
                                      " of the result: " + std::to_string(da) + " vs " + std::to_string(db) + ")");
    }
    expected[i] = da == 1 ? db : da;
  }
  if (expected != out_shape) {
    args.FailRange(6, "outShape", "must be " + ShapeString(expected) + ", the broadcast of aShape " +
                                      ShapeString(a_shape) + " and bShape " + ShapeString(b_shape) + ", got " +
                                      ShapeString(out_shape));
  }

  const TypedView a = args.AnyTyped(1, "a", na);
  const TypedView b = args.AnyTyped(3, "b", nb);
  const TypedView out = args.AnyTyped(5, "out", nout);
  const char* name = kBinaryNames[op];
  if (b.type != a.type) {
    args.Fail(3, "b", std::string("must have a's element type (") + ElemTypeName(a.type) + "), got " + ElemTypeName(b.type));
  }
  const bool comparison = op >= kFirstComparisonOp;
  if (!comparison && a.type == ElemType::kUint8) {
    args.Fail(1, "a", std::string("must be a Float32Array or an Int32Array for ") + name + ", got Uint8Array");
  }
  if (op == kBinaryDiv && a.type != ElemType::kFloat32) {
    args.Fail(1, "a", std::string("must be a Float32Array for Div (true division), got ") + ElemTypeName(a.type));
  }
  const ElemType out_type = comparison ? ElemType::kUint8 : a.type;
  if (out.type != out_type) {
    args.Fail(5, "out", std::string("must be a ") + ElemTypeName(out_type) + " for " + name + " on " +
                            ElemTypeName(a.type) + ", got " + ElemTypeName(out.type));
  }
  if (nout == 0) return info.Env().Undefined();

  const BinaryFn fn = Kernels().binary[static_cast<int>(a.type)][op];
  const BroadcastPlan plan = PlanBroadcast(a_shape, b_shape, out_shape);
  const size_t ea = ElemBytes(a.type), eo = ElemBytes(out_type);
  const char* ap = static_cast<const char*>(a.data);
  const char* bp = static_cast<const char*>(b.data);
  char* op_ = static_cast<char*>(out.data);
  const int mode = plan.mode;

  if (plan.rows == 1) {
    // One run: split it.
    auto body = [&](int64_t s, int64_t e) {
      const int64_t as = mode == kScalarA ? 0 : s, bs = mode == kScalarB ? 0 : s;
      fn(ap + as * ea, bp + bs * ea, op_ + s * eo, e - s, mode);
    };
    SplitRange(plan.run, kMinChunk, body);
    return info.Env().Undefined();
  }
  // Many runs: split the rows; each range starts its odometer from its first row.
  const int64_t run = plan.run;
  const size_t nd = plan.dims.size();
  auto body = [&](int64_t r0, int64_t r1) {
    int64_t idx[kMaxRank] = {0};
    int64_t offa = 0, offb = 0;
    for (size_t k = nd, rem = static_cast<size_t>(r0); k-- > 0;) {
      const int64_t dim = plan.dims[k];
      idx[k] = static_cast<int64_t>(rem) % dim;
      rem /= static_cast<size_t>(dim);
      offa += idx[k] * plan.a_strides[k];
      offb += idx[k] * plan.b_strides[k];
    }
    for (int64_t r = r0; r < r1; ++r) {
      fn(ap + offa * ea, bp + offb * ea, op_ + r * run * eo, run, mode);
      for (size_t k = nd; k-- > 0;) {  // advance the odometer
        offa += plan.a_strides[k];
        offb += plan.b_strides[k];
        if (++idx[k] < plan.dims[k]) break;
        offa -= plan.a_strides[k] * plan.dims[k];
        offb -= plan.b_strides[k] * plan.dims[k];
        idx[k] = 0;
      }
    }
  };
  const int64_t min_rows = run >= kMinChunk ? 1 : kMinChunk / run;
  if (nout >= kParallelWork) {
    SplitRange(plan.rows, min_rows, body);
  } else {
    body(0, plan.rows);
  }
  return info.Env().Undefined();
}

Napi::Value Cast(const CallInfo& info) {
  Args args(info, "cast", 3);
  const int64_t n = args.Size(2, "n");
  const TypedView x = args.AnyTyped(0, "x", n);
  const TypedView out = args.AnyTyped(1, "out", n);
  if (n == 0) return info.Env().Undefined();
  const CastFn fn = Kernels().cast[static_cast<int>(x.type)][static_cast<int>(out.type)];
  const size_t ex = ElemBytes(x.type), eo = ElemBytes(out.type);
  const char* xp = static_cast<const char*>(x.data);
  char* yp = static_cast<char*>(out.data);
  auto body = [=](int64_t b, int64_t e) { fn(xp + b * ex, yp + b * eo, e - b); };
  SplitRange(n, kMinChunk, body);
  return info.Env().Undefined();
}

}  // namespace

void RegisterElementwise(Napi::Env env, Napi::Object exports) {
  Export<Unary>(env, exports, "unary");
  Export<Binary>(env, exports, "binary");
  Export<Cast>(env, exports, "cast");
}

}  // namespace et
