// Elementwise kernel bodies, written once against simd.h and compiled by
// elementwise_scalar.cc / elementwise_avx2.cc / elementwise_avx512.cc. Float32 maps use the
// explicit vector vocabulary; int32 / uint8 maps and comparisons are plain loops that the
// compiler vectorizes under each unit's ISA flags. Semantics follow JS where IEEE leaves a
// choice: Math.max / Math.min for NaN and signed zeros, `**` for Pow, Int32Array wrap-around
// for int32 overflow.
#pragma once

#include "kernels/elementwise/elementwise_kernels.h"
#include "kernels/simd/vmath.h"

namespace et {
namespace ET_SIMD_NS {
namespace ew {

// ---------------------------------------------------------------- float32 unary ops
template <typename F>
static void MapF32(const float* x, float* y, int64_t n, const F& f) {
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) Store(y + i, f(Load(x + i)));
  if (i < n) MapTail(x + i, y + i, n - i, 0.0f, f);
}

#define ET_UNARY_F32(Name, expr)                  \
  struct Name {                                   \
    float alpha, beta;                            \
    VF operator()(VF x) const { return (expr); }  \
  };

constexpr float kSeluAlpha = 1.6732632423543772848170429916717f;
constexpr float kSeluScale = 1.0507009873554804934193349852946f;

ET_UNARY_F32(OpExp, Exp(x))
ET_UNARY_F32(OpLog, Log(x))
ET_UNARY_F32(OpLog1p, Log1p(x))
ET_UNARY_F32(OpSqrt, Sqrt(x))
ET_UNARY_F32(OpRsqrt, Div(Set1(1.0f), Sqrt(x)))
ET_UNARY_F32(OpReciprocal, Div(Set1(1.0f), x))
ET_UNARY_F32(OpFloor, Floor(x))
ET_UNARY_F32(OpRound, RoundEven(x))
ET_UNARY_F32(OpRelu6, JsMin(JsMax(x, Set1(0.0f)), Set1(6.0f)))
ET_UNARY_F32(OpLeakyRelu, Select(Lt(x, Set1(0.0f)), Mul(x, Set1(alpha)), x))
ET_UNARY_F32(OpElu, Select(Gt(x, Set1(0.0f)), x, Expm1(x)))
ET_UNARY_F32(OpSelu, Mul(Set1(kSeluScale), Select(Gt(x, Set1(0.0f)), x, Mul(Set1(kSeluAlpha), Expm1(x)))))
ET_UNARY_F32(OpGelu, Gelu(x))
ET_UNARY_F32(OpSigmoid, Sigmoid(x))
ET_UNARY_F32(OpTanh, Tanh(x))
ET_UNARY_F32(OpSoftplus, Softplus(x))
ET_UNARY_F32(OpSin, SinCos<false>(x))
ET_UNARY_F32(OpCos, SinCos<true>(x))
ET_UNARY_F32(OpClip, JsMin(JsMax(x, Set1(alpha)), Set1(beta)))
ET_UNARY_F32(OpNeg, Neg(x))
ET_UNARY_F32(OpAbs, Abs(x))
ET_UNARY_F32(OpSquare, Mul(x, x))
ET_UNARY_F32(OpSign, Select(Gt(x, Set1(0.0f)), Set1(1.0f), Select(Lt(x, Set1(0.0f)), Set1(-1.0f), x)))
ET_UNARY_F32(OpRelu, JsMax(x, Set1(0.0f)))
#undef ET_UNARY_F32

template <typename Op>
static void UnaryF32(const float* x, float* y, int64_t n, float alpha, float beta) {
  const Op op{alpha, beta};
  MapF32(x, y, n, op);
}

// ---------------------------------------------------------------- int32 unary ops (wrap-around)
static inline int32_t Wrap(uint32_t v) { return static_cast<int32_t>(v); }
struct IntNeg { static int32_t S(int32_t x) { return Wrap(0u - static_cast<uint32_t>(x)); } };
struct IntAbs { static int32_t S(int32_t x) { return x < 0 ? Wrap(0u - static_cast<uint32_t>(x)) : x; } };
struct IntSquare { static int32_t S(int32_t x) { return Wrap(static_cast<uint32_t>(x) * static_cast<uint32_t>(x)); } };
struct IntSign { static int32_t S(int32_t x) { return (x > 0) - (x < 0); } };
struct IntRelu { static int32_t S(int32_t x) { return x > 0 ? x : 0; } };

template <typename Op>
static void UnaryI32(const int32_t* x, int32_t* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = Op::S(x[i]);
}

// ---------------------------------------------------------------- float32 binary ops
struct FAdd { static VF V(VF a, VF b) { return Add(a, b); } };
struct FSub { static VF V(VF a, VF b) { return Sub(a, b); } };
struct FMul { static VF V(VF a, VF b) { return Mul(a, b); } };
struct FDiv { static VF V(VF a, VF b) { return Div(a, b); } };
struct FFloorDiv { static VF V(VF a, VF b) { return Floor(Div(a, b)); } };
struct FMax { static VF V(VF a, VF b) { return JsMax(a, b); } };
struct FMin { static VF V(VF a, VF b) { return JsMin(a, b); } };

template <typename Op>
static void BinaryF32(const void* pa, const void* pb, void* pout, int64_t n, int mode) {
  const float* a = static_cast<const float*>(pa);
  const float* b = static_cast<const float*>(pb);
  float* out = static_cast<float*>(pout);
  if (mode == kScalarB) {
    const VF vb = Set1(*b);
    MapF32(a, out, n, [vb](VF x) { return Op::V(x, vb); });
  } else if (mode == kScalarA) {
    const VF va = Set1(*a);
    MapF32(b, out, n, [va](VF x) { return Op::V(va, x); });
  } else {
    MapPair(a, b, out, n, 1.0f, [](VF x, VF y) { return Op::V(x, y); });
  }
}

// ---------------------------------------------------------------- scalar-form binary ops
// Pow (libm per element) and everything on int32 / uint8, as plain loops per mode.
template <typename T, typename O, typename Op>
static void BinaryLoop(const void* pa, const void* pb, void* pout, int64_t n, int mode) {
  const T* a = static_cast<const T*>(pa);
  const T* b = static_cast<const T*>(pb);
  O* out = static_cast<O*>(pout);
  if (mode == kScalarB) {
    const T s = *b;
    for (int64_t i = 0; i < n; ++i) out[i] = Op::S(a[i], s);
  } else if (mode == kScalarA) {
    const T s = *a;
    for (int64_t i = 0; i < n; ++i) out[i] = Op::S(s, b[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = Op::S(a[i], b[i]);
  }
}

// JS `a ** b`: C's pow differs only in pow(1, NaN) = 1 and pow(-1, +-inf) = 1 (JS: NaN).
struct FPow {
  static float S(float a, float b) {
    if (b != b) return NAN;
    if (__builtin_isinf(b) && __builtin_fabsf(a) == 1.0f) return NAN;
    return ::powf(a, b);
  }
};

struct IAdd { static int32_t S(int32_t a, int32_t b) { return Wrap(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); } };
struct ISub { static int32_t S(int32_t a, int32_t b) { return Wrap(static_cast<uint32_t>(a) - static_cast<uint32_t>(b)); } };
struct IMul { static int32_t S(int32_t a, int32_t b) { return Wrap(static_cast<uint32_t>(a) * static_cast<uint32_t>(b)); } };
struct IMax { static int32_t S(int32_t a, int32_t b) { return a > b ? a : b; } };
struct IMin { static int32_t S(int32_t a, int32_t b) { return a < b ? a : b; } };
// floor(a / b); b = 0 gives 0; INT32_MIN / -1 wraps to INT32_MIN.
struct IFloorDiv {
  static int32_t S(int32_t a, int32_t b) {
    if (b == 0) return 0;
    if (b == -1) return Wrap(0u - static_cast<uint32_t>(a));
    int32_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
  }
};
// The exact integer power modulo 2^32 (Int32Array wrap-around); negative exponents give
// the truncated real result: 1 for a = 1, +-1 for a = -1, else 0.
struct IPow {
  static int32_t S(int32_t a, int32_t b) {
    if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
    uint32_t result = 1, base = static_cast<uint32_t>(a);
    for (uint32_t e = static_cast<uint32_t>(b); e != 0; e >>= 1) {
      if (e & 1) result *= base;
      base *= base;
    }
    return Wrap(result);
  }
};

// Comparisons: IEEE (any NaN compares false, except NotEqual).
struct CEq { template <typename T> static uint8_t S(T a, T b) { return a == b; } };
struct CNe { template <typename T> static uint8_t S(T a, T b) { return a != b; } };
struct CGt { template <typename T> static uint8_t S(T a, T b) { return a > b; } };
struct CGe { template <typename T> static uint8_t S(T a, T b) { return a >= b; } };
struct CLt { template <typename T> static uint8_t S(T a, T b) { return a < b; } };
struct CLe { template <typename T> static uint8_t S(T a, T b) { return a <= b; } };

template <typename T>
static void FillComparisons(BinaryFn* row) {
  row[kBinaryEqual] = BinaryLoop<T, uint8_t, CEq>;
  row[kBinaryNotEqual] = BinaryLoop<T, uint8_t, CNe>;
  row[kBinaryGreater] = BinaryLoop<T, uint8_t, CGt>;
  row[kBinaryGreaterEqual] = BinaryLoop<T, uint8_t, CGe>;
  row[kBinaryLess] = BinaryLoop<T, uint8_t, CLt>;
  row[kBinaryLessEqual] = BinaryLoop<T, uint8_t, CLe>;
}

// ---------------------------------------------------------------- casts
// float -> int32: truncate toward zero, NaN -> 0, out of range clamps.
static inline int32_t FloatToInt(float x) {
  if (x != x) return 0;
  if (x >= 2147483648.0f) return 2147483647;
  if (x <= -2147483648.0f) return -2147483647 - 1;
  return static_cast<int32_t>(x);
}

static void CastF32ToI32(const void* px, void* pout, int64_t n) {
  const float* x = static_cast<const float*>(px);
  int32_t* out = static_cast<int32_t*>(pout);
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    const VF v = Load(x + i);
    // Clamp into int range before converting (2147483520 is the largest float below 2^31).
    VI r = TruncToInt(MinRaw(MaxRaw(v, Set1(-2147483648.0f)), Set1(2147483520.0f)));
    r = SelectI(Ge(v, Set1(2147483648.0f)), Set1I(2147483647), r);
    StoreI(out + i, SelectI(IsNan(v), Set1I(0), r));
  }
  for (; i < n; ++i) out[i] = FloatToInt(x[i]);
}

template <typename From, typename To>
static void CastLoop(const void* px, void* pout, int64_t n) {
  const From* x = static_cast<const From*>(px);
  To* out = static_cast<To*>(pout);
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<To>(x[i]);
}

// Anything -> bool: x != 0 (NaN is != 0).
template <typename From>
static void CastToBool(const void* px, void* pout, int64_t n) {
  const From* x = static_cast<const From*>(px);
  uint8_t* out = static_cast<uint8_t*>(pout);
  for (int64_t i = 0; i < n; ++i) out[i] = x[i] != 0;
}

template <int kBytes>
static void CastCopy(const void* px, void* pout, int64_t n) {
  if (px != pout) memmove(pout, px, static_cast<size_t>(n) * kBytes);
}

// ---------------------------------------------------------------- the table
static ElementwiseTable MakeTable() {
  ElementwiseTable t;
  memset(&t, 0, sizeof(t));
  UnaryF32Fn* u = t.unary_f32;
  u[kUnaryExp] = UnaryF32<OpExp>;
  u[kUnaryLog] = UnaryF32<OpLog>;
  u[kUnaryLog1p] = UnaryF32<OpLog1p>;
  u[kUnarySqrt] = UnaryF32<OpSqrt>;
  u[kUnaryRsqrt] = UnaryF32<OpRsqrt>;
  u[kUnaryReciprocal] = UnaryF32<OpReciprocal>;
  u[kUnaryFloor] = UnaryF32<OpFloor>;
  u[kUnaryRound] = UnaryF32<OpRound>;
  u[kUnaryRelu6] = UnaryF32<OpRelu6>;
  u[kUnaryLeakyRelu] = UnaryF32<OpLeakyRelu>;
  u[kUnaryElu] = UnaryF32<OpElu>;
  u[kUnarySelu] = UnaryF32<OpSelu>;
  u[kUnaryGelu] = UnaryF32<OpGelu>;
  u[kUnarySigmoid] = UnaryF32<OpSigmoid>;
  u[kUnaryTanh] = UnaryF32<OpTanh>;
  u[kUnarySoftplus] = UnaryF32<OpSoftplus>;
  u[kUnarySin] = UnaryF32<OpSin>;
  u[kUnaryCos] = UnaryF32<OpCos>;
  u[kUnaryClipByValue] = UnaryF32<OpClip>;
  u[kUnaryNeg] = UnaryF32<OpNeg>;
  u[kUnaryAbs] = UnaryF32<OpAbs>;
  u[kUnarySquare] = UnaryF32<OpSquare>;
  u[kUnarySign] = UnaryF32<OpSign>;
  u[kUnaryRelu] = UnaryF32<OpRelu>;

  UnaryI32Fn* ui = t.unary_i32;
  ui[kUnaryNeg] = UnaryI32<IntNeg>;
  ui[kUnaryAbs] = UnaryI32<IntAbs>;
  ui[kUnarySquare] = UnaryI32<IntSquare>;
  ui[kUnarySign] = UnaryI32<IntSign>;
  ui[kUnaryRelu] = UnaryI32<IntRelu>;

  BinaryFn* bf = t.binary[0];
  bf[kBinaryAdd] = BinaryF32<FAdd>;
  bf[kBinarySub] = BinaryF32<FSub>;
  bf[kBinaryMul] = BinaryF32<FMul>;
  bf[kBinaryDiv] = BinaryF32<FDiv>;
  bf[kBinaryFloorDiv] = BinaryF32<FFloorDiv>;
  bf[kBinaryPow] = BinaryLoop<float, float, FPow>;
  bf[kBinaryMaximum] = BinaryF32<FMax>;
  bf[kBinaryMinimum] = BinaryF32<FMin>;
  FillComparisons<float>(bf);

  BinaryFn* bi = t.binary[1];
  bi[kBinaryAdd] = BinaryLoop<int32_t, int32_t, IAdd>;
  bi[kBinarySub] = BinaryLoop<int32_t, int32_t, ISub>;
  bi[kBinaryMul] = BinaryLoop<int32_t, int32_t, IMul>;
  bi[kBinaryFloorDiv] = BinaryLoop<int32_t, int32_t, IFloorDiv>;
  bi[kBinaryPow] = BinaryLoop<int32_t, int32_t, IPow>;
  bi[kBinaryMaximum] = BinaryLoop<int32_t, int32_t, IMax>;
  bi[kBinaryMinimum] = BinaryLoop<int32_t, int32_t, IMin>;
  FillComparisons<int32_t>(bi);

  FillComparisons<uint8_t>(t.binary[2]);

  t.cast[0][0] = CastCopy<4>;
  t.cast[0][1] = CastF32ToI32;
  t.cast[0][2] = CastToBool<float>;
  t.cast[1][0] = CastLoop<int32_t, float>;
  t.cast[1][1] = CastCopy<4>;
  t.cast[1][2] = CastToBool<int32_t>;
  t.cast[2][0] = CastLoop<uint8_t, float>;
  t.cast[2][1] = CastLoop<uint8_t, int32_t>;
  t.cast[2][2] = CastToBool<uint8_t>;
  return t;
}

}  // namespace ew

const ElementwiseTable* GetElementwiseTable() {
  static const ElementwiseTable table = ew::MakeTable();
  return &table;
}

}  // namespace ET_SIMD_NS
}  // namespace et
