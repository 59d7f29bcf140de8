// Optimizer-update kernel bodies, compiled by optim_scalar.cc / optim_avx2.cc / optim_avx512.cc.
// Each is one pass over the parameter, its gradient and its slots: no temporaries.
#pragma once

#include "kernels/optim/optim_kernels.h"
#include "kernels/simd/simd.h"

namespace et {
namespace ET_SIMD_NS {
namespace opt {

// Runs step(i, lanes) over [i0, i1): full vectors, then the tail one element at a time
// through the same body instantiated for the scalar lane type.
template <typename VectorStep, typename ScalarStep>
ET_INLINE void Sweep(int64_t i0, int64_t i1, VectorStep vector_step, ScalarStep scalar_step) {
  int64_t i = i0;
  for (; i + kLanes <= i1; i += kLanes) vector_step(i);
  for (; i < i1; ++i) scalar_step(i);
}

static void Sgd(float* p, const float* g, int64_t i0, int64_t i1, const SgdParams& a) {
  const VF lr = Set1(a.lr);
  Sweep(i0, i1, [&](int64_t i) { Store(p + i, NegMulAdd(lr, Load(g + i), Load(p + i))); },
        [&](int64_t i) { p[i] -= a.lr * g[i]; });
}

static void Momentum(float* p, const float* g, float* accum, int64_t i0, int64_t i1, const MomentumParams& a) {
  const VF lr = Set1(a.lr), mu = Set1(a.momentum);
  Sweep(
      i0, i1,
      [&](int64_t i) {
        const VF gi = Load(g + i);
        const VF acc = MulAdd(mu, Load(accum + i), gi);
        Store(accum + i, acc);
        const VF direction = a.nesterov ? MulAdd(mu, acc, gi) : acc;
        Store(p + i, NegMulAdd(lr, direction, Load(p + i)));
      },
      [&](int64_t i) {
        accum[i] = a.momentum * accum[i] + g[i];
        p[i] -= a.lr * (a.nesterov ? g[i] + a.momentum * accum[i] : accum[i]);
      });
}

static void Adam(float* p, const float* g, float* m, float* v, int64_t i0, int64_t i1, const AdamParams& a) {
  const VF b1 = Set1(a.beta1), b2 = Set1(a.beta2), one_b1 = Set1(1.0f - a.beta1), one_b2 = Set1(1.0f - a.beta2);
  const VF step = Set1(a.lr / a.bias1), inv_bias2 = Set1(1.0f / a.bias2), eps = Set1(a.epsilon);
  const VF decay = Set1(a.lr * a.weight_decay);
  Sweep(
      i0, i1,
      [&](int64_t i) {
        const VF gi = Load(g + i);
        VF pi = Load(p + i);
        pi = NegMulAdd(decay, pi, pi);
        const VF mi = MulAdd(b1, Load(m + i), Mul(one_b1, gi));
        const VF vi = MulAdd(b2, Load(v + i), Mul(one_b2, Mul(gi, gi)));
        Store(m + i, mi);
        Store(v + i, vi);
        const VF denominator = Add(Sqrt(Mul(vi, inv_bias2)), eps);
        Store(p + i, Sub(pi, Div(Mul(step, mi), denominator)));
      },
      [&](int64_t i) {
        float pi = p[i] - a.lr * a.weight_decay * p[i];
        m[i] = a.beta1 * m[i] + (1.0f - a.beta1) * g[i];
        v[i] = a.beta2 * v[i] + (1.0f - a.beta2) * g[i] * g[i];
        p[i] = pi - (a.lr / a.bias1) * m[i] / (__builtin_sqrtf(v[i] / a.bias2) + a.epsilon);
      });
}

static void Rmsprop(float* p, const float* g, float* ms, float* mom, float* mg, int64_t i0, int64_t i1, const RmspropParams& a) {
  const VF rho = Set1(a.decay), one_rho = Set1(1.0f - a.decay), mu = Set1(a.momentum), lr = Set1(a.lr), eps = Set1(a.epsilon);
  Sweep(
      i0, i1,
      [&](int64_t i) {
        const VF gi = Load(g + i);
        const VF msi = MulAdd(rho, Load(ms + i), Mul(one_rho, Mul(gi, gi)));
        Store(ms + i, msi);
        VF variance = msi;
        if (a.centered) {
          const VF mgi = MulAdd(rho, Load(mg + i), Mul(one_rho, gi));
          Store(mg + i, mgi);
          variance = NegMulAdd(mgi, mgi, msi);
        }
        const VF momi = MulAdd(mu, Load(mom + i), Div(Mul(lr, gi), Sqrt(Add(variance, eps))));
        Store(mom + i, momi);
        Store(p + i, Sub(Load(p + i), momi));
      },
      [&](int64_t i) {
        ms[i] = a.decay * ms[i] + (1.0f - a.decay) * g[i] * g[i];
        float variance = ms[i];
        if (a.centered) {
          mg[i] = a.decay * mg[i] + (1.0f - a.decay) * g[i];
          variance = ms[i] - mg[i] * mg[i];
        }
        mom[i] = a.momentum * mom[i] + a.lr * g[i] / __builtin_sqrtf(variance + a.epsilon);
        p[i] -= mom[i];
      });
}

}  // namespace opt

const OptimTable* GetOptimTable() {
  static const OptimTable table = {opt::Sgd, opt::Momentum, opt::Adam, opt::Rmsprop};
  return &table;
}

}  // namespace ET_SIMD_NS
}  // namespace et
