// Vectorized float32 transcendental functions on the simd.h vocabulary, compiled once per ISA.
// Accuracy targets (checked by test/native/ulp.test.ts on every ISA path, whole float range):
// Exp, Log, Tanh, Sigmoid within 4 ulp of the correctly rounded result, including subnormal
// results, overflow to inf, underflow to 0, NaN / inf inputs and -0. The polynomials are the
// Cephes single-precision minimax fits; the scalar path evaluates them without FMA, so every
// reduction below is exact or error-free without fused multiply-add.
#pragma once

#include "kernels/simd/simd.h"

namespace et {
namespace ET_SIMD_NS {

// ---------------------------------------------------------------- exp
// e^r for |r| <= ln2/2 (Cephes expf polynomial, ~1 ulp).
ET_INLINE VF ExpPoly(VF r) {
  VF p = Set1(1.9875691500E-4f);
  p = MulAdd(p, r, Set1(1.3981999507E-3f));
  p = MulAdd(p, r, Set1(8.3334519073E-3f));
  p = MulAdd(p, r, Set1(4.1665795894E-2f));
  p = MulAdd(p, r, Set1(1.6666665459E-1f));
  p = MulAdd(p, r, Set1(5.0000001201E-1f));
  return Add(MulAdd(p, Mul(r, r), r), Set1(1.0f));
}

constexpr float kExpMagic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
constexpr float kLn2Hi = 0.693359375f;    // 9 significant bits: n * kLn2Hi is exact
constexpr float kLn2Lo = -2.12194440e-4f;

// p * 2^n for n in [-150, 128] (n arrives as t = kExpMagic + n). Two power-of-two factors,
// both normal, so the only rounding is the final one: subnormal results and overflow to
// inf come out correctly rounded from p.
ET_INLINE VF ScalePow2(VF p, VF t) {
  const VI n = SubI(AsInt(t), AsInt(Set1(kExpMagic)));
  const VI n1 = SraI<1>(n);
  const VI n2 = SubI(n, n1);
  const VF s1 = AsFloat(ShlI<23>(AddI(n1, Set1I(127))));
  const VF s2 = AsFloat(ShlI<23>(AddI(n2, Set1I(127))));
  return Mul(Mul(p, s1), s2);
}

ET_INLINE VF Exp(VF x) {
  // Outside [-104, 89] the result is 0 or inf anyway; the clamp keeps n in [-150, 128].
  const VF xc = MinRaw(MaxRaw(x, Set1(-104.0f)), Set1(89.0f));
  const VF t = MulAdd(xc, Set1(1.44269504088896341f), Set1(kExpMagic));
  const VF n = Sub(t, Set1(kExpMagic));
  VF r = NegMulAdd(n, Set1(kLn2Hi), xc);
  r = NegMulAdd(n, Set1(kLn2Lo), r);
  const VF res = ScalePow2(ExpPoly(r), t);
  return Select(IsNan(x), Add(x, x), res);
}

// e^(hi + lo) with hi + lo <= 0 and lo carrying bits hi cannot hold (used by Gelu's erfc).
ET_INLINE VF ExpHiLo(VF hi, VF lo) {
  const VF s = Add(hi, lo);
  const VF t = MulAdd(MaxRaw(s, Set1(-104.0f)), Set1(1.44269504088896341f), Set1(kExpMagic));
  const VF n = Sub(t, Set1(kExpMagic));
  VF r = Add(NegMulAdd(n, Set1(kLn2Hi), hi), lo);
  r = NegMulAdd(n, Set1(kLn2Lo), r);
  const VF res = ScalePow2(ExpPoly(r), t);
  return Select(Lt(s, Set1(-104.0f)), Set1(0.0f), res);
}

// ---------------------------------------------------------------- log
ET_INLINE VF Log(VF x) {
  // Subnormal inputs are scaled into the normal range first.
  const M sub = Lt(x, Set1(1.17549435e-38f));
  const VF xs = Select(sub, Mul(x, Set1(8388608.0f)), x);
  const VI bits = AsInt(xs);
  // x = m * 2^e with m in [0.5, 1).
  VF e = Sub(ToFloat(SrlI<23>(bits)), Select(sub, Set1(126.0f + 23.0f), Set1(126.0f)));
  VF m = AsFloat(OrI(AndI(bits, Set1I(0x007fffff)), Set1I(0x3f000000)));
  const M low = Lt(m, Set1(0.707106781186547524f));
  e = Select(low, Sub(e, Set1(1.0f)), e);
  m = Sub(Select(low, Add(m, m), m), Set1(1.0f));  // exact; m in [-0.293, 0.414)
  const VF z = Mul(m, m);
  VF p = Set1(7.0376836292E-2f);
  p = MulAdd(p, m, Set1(-1.1514610310E-1f));
  p = MulAdd(p, m, Set1(1.1676998740E-1f));
  p = MulAdd(p, m, Set1(-1.2420140846E-1f));
  p = MulAdd(p, m, Set1(1.4249322787E-1f));
  p = MulAdd(p, m, Set1(-1.6668057665E-1f));
  p = MulAdd(p, m, Set1(2.0000714765E-1f));
  p = MulAdd(p, m, Set1(-2.4999993993E-1f));
  p = MulAdd(p, m, Set1(3.3333331174E-1f));
  VF y = Mul(Mul(p, m), z);
  y = MulAdd(e, Set1(kLn2Lo), y);
  y = NegMulAdd(Set1(0.5f), z, y);
  VF r = Add(m, y);
  r = MulAdd(e, Set1(kLn2Hi), r);
  r = Select(Eq(x, Set1(0.0f)), Set1(-INFINITY), r);
  r = Select(Eq(x, Set1(INFINITY)), x, r);
  return Select(MOr(Lt(x, Set1(0.0f)), IsNan(x)), Set1(NAN), r);
}

// log(1 + x): log(u) * x / (u - 1) with u = 1 + x cancels the rounding of u.
ET_INLINE VF Log1p(VF x) {
  const VF u = Add(Set1(1.0f), x);
  const VF d = Sub(u, Set1(1.0f));
  VF r = Mul(Log(u), Div(x, d));
  r = Select(Eq(d, Set1(0.0f)), x, r);
  return Select(Eq(x, Set1(INFINITY)), x, r);
}

// e^x - 1: Kahan's (u - 1) * x / log(u) near 0, plain u - 1 elsewhere.
ET_INLINE VF Expm1(VF x) {
  const VF u = Exp(x);
  const VF d = Sub(u, Set1(1.0f));
  VF k = Mul(d, Div(x, Log(u)));
  k = Select(Eq(d, Set1(0.0f)), x, k);
  return Select(Lt(Abs(x), Set1(0.5f)), k, d);
}

// ---------------------------------------------------------------- tanh, sigmoid, softplus
ET_INLINE VF Tanh(VF x) {
  const VF ax = Abs(x);
  const VF z = Mul(x, x);
  VF p = Set1(-5.70498872745E-3f);
  p = MulAdd(p, z, Set1(2.06390887954E-2f));
  p = MulAdd(p, z, Set1(-5.37397155531E-2f));
  p = MulAdd(p, z, Set1(1.33314422036E-1f));
  p = MulAdd(p, z, Set1(-3.33332819422E-1f));
  const VF small = MulAdd(Mul(p, z), ax, ax);
  // 1 - 2 / (e^(2|x|) + 1); e^(2|x|) = inf gives exactly 1.
  const VF e = Exp(Add(ax, ax));
  const VF big = Sub(Set1(1.0f), Div(Set1(2.0f), Add(e, Set1(1.0f))));
  // Both branches work on |x|; tanh is odd (this also keeps tanh(-0) = -0).
  return OrBits(Select(Lt(ax, Set1(0.625f)), small, big), SignBit(x));
}

// 1 / (1 + e^-x) as 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0, with e = e^-|x|,
// so tiny (subnormal) results for very negative x are not lost.
ET_INLINE VF Sigmoid(VF x) {
  const VF e = Exp(Neg(Abs(x)));
  const VF d = Add(Set1(1.0f), e);
  return Select(Lt(x, Set1(0.0f)), Div(e, d), Div(Set1(1.0f), d));
}

// log(1 + e^x) = max(x, 0) + log1p(e^-|x|).
ET_INLINE VF Softplus(VF x) {
  return Add(MaxRaw(x, Set1(0.0f)), Log1p(Exp(Neg(Abs(x)))));
}

// ---------------------------------------------------------------- gelu (exact erf form)
// x * Phi(x), Phi(x) = erfc(-x / sqrt2) / 2, with erfc from Numerical Recipes' erfcc
// (fractional error < 1.2e-7): erfc(z) = t * exp(-z^2 + P(t)), t = 1 / (1 + z / 2).
// -z^2 = -x^2 / 2 is split exactly (x = xh + xl, xh with 12 bits) so large |x| keep accuracy.
ET_INLINE VF Gelu(VF x) {
  const VF ax = Abs(x);
  const VF t = Div(Set1(1.0f), MulAdd(ax, Set1(0.353553390593273762f), Set1(1.0f)));
  VF p = Set1(0.17087277f);
  p = MulAdd(p, t, Set1(-0.82215223f));
  p = MulAdd(p, t, Set1(1.48851587f));
  p = MulAdd(p, t, Set1(-1.13520398f));
  p = MulAdd(p, t, Set1(0.27886807f));
  p = MulAdd(p, t, Set1(-0.18628806f));
  p = MulAdd(p, t, Set1(0.09678418f));
  p = MulAdd(p, t, Set1(0.37409196f));
  p = MulAdd(p, t, Set1(1.00002368f));
  p = MulAdd(p, t, Set1(-1.26551223f));
  const VF xh = AsFloat(AndI(AsInt(ax), Set1I(static_cast<int32_t>(0xfffff000u))));
  const VF xl = Sub(ax, xh);
  const VF hi = Mul(Set1(-0.5f), Mul(xh, xh));
  const VF lo = NegMulAdd(Mul(Set1(0.5f), xl), Add(ax, xh), p);
  const VF tail = Mul(Mul(Set1(0.5f), t), ExpHiLo(hi, lo));  // Phi(-|x|)
  const VF phi = Select(Lt(x, Set1(0.0f)), tail, Sub(Set1(1.0f), tail));
  // Beyond +-10 Phi rounds to 1 / the product underflows; this also keeps inf out of the split.
  const VF res = Select(Gt(x, Set1(10.0f)), x, Mul(x, phi));
  return Select(Lt(x, Set1(-100.0f)), Set1(-0.0f), res);
}

// ---------------------------------------------------------------- sin, cos
constexpr float kTrigReduceLimit = 8192.0f;  // Cody-Waite below; libm beyond

// sin(x) (kCos = false) or cos(x) (kCos = true) for |x| <= kTrigReduceLimit (Cephes sinf /
// cosf: three-part pi/4 reduction, exact products). Other lanes hold garbage; the caller
// recomputes them with libm.
template <bool kCos>
ET_INLINE VF SinCosReduced(VF x) {
  const VF ax = MinRaw(Abs(x), Set1(kTrigReduceLimit));  // NaN -> limit (recomputed anyway)
  VI j = TruncToInt(Mul(ax, Set1(1.27323954473516f)));
  j = AndI(AddI(j, Set1I(1)), Set1I(~1));
  const VF y = ToFloat(j);
  VF r = NegMulAdd(y, Set1(0.78515625f), ax);
  r = NegMulAdd(y, Set1(2.4187564849853515625e-4f), r);
  r = NegMulAdd(y, Set1(3.77489497744594108e-8f), r);
  VI q = SrlI<1>(j);  // quadrant: x = q * pi/2 + r
  if (kCos) q = AddI(q, Set1I(1));
  const VF z = Mul(r, r);
  VF s = Set1(-1.9515295891E-4f);
  s = MulAdd(s, z, Set1(8.3321608736E-3f));
  s = MulAdd(s, z, Set1(-1.6666654611E-1f));
  s = MulAdd(Mul(s, z), r, r);
  VF c = Set1(2.443315711809948E-5f);
  c = MulAdd(c, z, Set1(-1.388731625493765E-3f));
  c = MulAdd(c, z, Set1(4.166664568298827E-2f));
  c = Add(NegMulAdd(Set1(0.5f), z, Mul(Mul(c, z), z)), Set1(1.0f));
  VF res = Select(EqI(AndI(q, Set1I(1)), Set1I(1)), c, s);
  res = XorBits(res, AsFloat(ShlI<30>(AndI(q, Set1I(2)))));  // quadrants 2, 3: negate
  if (!kCos) res = XorBits(res, SignBit(x));                  // sin is odd
  return res;
}

template <bool kCos>
ET_INLINE VF SinCos(VF x) {
  VF res = SinCosReduced<kCos>(x);
  const M far = MNot(Le(Abs(x), Set1(kTrigReduceLimit)));
  if (Any(far)) {
    float xb[kLanes], rb[kLanes];
    Store(xb, x);
    Store(rb, res);
    for (int i = 0; i < kLanes; ++i) {
      if (!(__builtin_fabsf(xb[i]) <= kTrigReduceLimit)) rb[i] = kCos ? ::cosf(xb[i]) : ::sinf(xb[i]);
    }
    res = Load(rb);
  }
  return res;
}

}  // namespace ET_SIMD_NS
}  // namespace et
