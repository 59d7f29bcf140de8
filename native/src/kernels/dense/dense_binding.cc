// JS entry points of the fused dense layer (one addon call each way):
//   denseForward(a, b, bias, y, m, n, k, transposeA, transposeB, activation, alpha)
//     y = act(op(a) op(b) + bias): the GEMM, then bias and activation on each output row while
//     it is still in cache.
//   denseBackward(dy, a, b, y, da, db, dbias, m, n, k, transposeA, transposeB, activation, alpha)
//     dz = dy * act'(y) (from the output, so no pre-activation is kept), then da, db (the two
//     GEMMs) and dbias (column sums of dz); da, db and dbias may each be null when not needed.
// op(a) is [m, k], op(b) [k, n], y and dy [m, n]. The activations are src/backend/kernel.ts'
// FUSED_ACTIVATIONS, in that order. Every argument is validated before memory is touched.
#include <algorithm>
#include <cstdint>
#include <new>
#include <string>

#include "bindings.h"
#include "cpu/scratch.h"
#include "kernels/dense/dense_grad_kernels.h"
#include "kernels/dense/dense_layer.h"
#include "kernels/gemm/gemm_args.h"
#include "kernels/simd/dispatch.h"
#include "napi_args.h"

namespace et {
namespace {

// The sizes m, n, k and flags of either entry point, read from args[first...].
struct DenseShape {
  int64_t m, n, k;
  bool trans_a, trans_b;
};

DenseShape ShapeArgs(const Args& args, size_t first) {
  DenseShape s;
  s.m = args.Size(first, "m");
  s.n = args.Size(first + 1, "n");
  s.k = args.Size(first + 2, "k");
  s.trans_a = args.Bool(first + 3, "transposeA");
  s.trans_b = args.Bool(first + 4, "transposeB");
  return s;
}

// A Float32Array argument that may be null (no bias, a gradient nobody needs).
float* OptionalFloat32(const Args& args, size_t index, const char* name, int64_t length) {
  const Napi::Value v = args.info()[index];
  if (v.IsNull() || v.IsUndefined()) return nullptr;
  return args.Float32(index, name, length);
}

Napi::Value DenseForward(const CallInfo& info) {
  Args args(info, "denseForward", 11);
  const DenseShape s = ShapeArgs(args, 4);
  const Activation act = ActivationArg(args, 9);
  const float alpha = AlphaArg(args, 10, act);
  const int64_t a_len = OperandLength(args, 0, "a", 1, 0, s.m, s.k, "m and k");
  const int64_t b_len = OperandLength(args, 1, "b", 1, 0, s.k, s.n, "k and n");
  const int64_t y_len = OperandLength(args, 3, "y", 1, 0, s.m, s.n, "m and n");
  const float* a = args.Float32(0, "a", a_len);
  const float* b = args.Float32(1, "b", b_len);
  const float* bias = OptionalFloat32(args, 2, "bias", s.n);
  float* y = args.Float32(3, "y", y_len);
  CheckNoOverlap(args, 3, "y", y, y_len, "a", a, a_len);
  CheckNoOverlap(args, 3, "y", y, y_len, "b", b, b_len);
  CheckNoOverlap(args, 3, "y", y, y_len, "bias", bias, s.n);

  RunGemm(info.Env(), s.m, s.n, s.k, s.trans_a, s.trans_b, a, b, y);
  BiasActivation(y, bias, s.m, s.n, act, alpha);
  return info.Env().Undefined();
}

Napi::Value DenseBackward(const CallInfo& info) {
  Args args(info, "denseBackward", 14);
  const DenseShape s = ShapeArgs(args, 7);
  const Activation act = ActivationArg(args, 12);
  const float alpha = AlphaArg(args, 13, act);
  const int64_t mn = OperandLength(args, 0, "dy", 1, 0, s.m, s.n, "m and n");
  const int64_t a_len = OperandLength(args, 1, "a", 1, 0, s.m, s.k, "m and k");
  const int64_t b_len = OperandLength(args, 2, "b", 1, 0, s.k, s.n, "k and n");
  const float* dy = args.Float32(0, "dy", mn);
  const float* a = args.Float32(1, "a", a_len);
  const float* b = args.Float32(2, "b", b_len);
  const float* y = args.Float32(3, "y", mn);
  float* da = OptionalFloat32(args, 4, "da", a_len);
  float* db = OptionalFloat32(args, 5, "db", b_len);
  float* dbias = OptionalFloat32(args, 6, "dbias", s.n);
  const float* inputs[] = {dy, a, b, y};
  const char* input_names[] = {"dy", "a", "b", "y"};
  const int64_t input_lens[] = {mn, a_len, b_len, mn};
  for (int i = 0; i < 4; ++i) {
    CheckNoOverlap(args, 4, "da", da, a_len, input_names[i], inputs[i], input_lens[i]);
    CheckNoOverlap(args, 5, "db", db, b_len, input_names[i], inputs[i], input_lens[i]);
    CheckNoOverlap(args, 6, "dbias", dbias, s.n, input_names[i], inputs[i], input_lens[i]);
  }
  CheckNoOverlap(args, 5, "db", db, b_len, "da", da, a_len);
  CheckNoOverlap(args, 6, "dbias", dbias, s.n, "da", da, a_len);
  CheckNoOverlap(args, 6, "dbias", dbias, s.n, "db", db, b_len);

  // dz: the gradient at the pre-activation; dy itself when the activation is linear. Its buffer
  // and the bias sums' are this thread's, reused from call to call.
  thread_local Scratch<float> tls_dz;
  thread_local Scratch<double> tls_bias_sums;
  float* dz_buffer = nullptr;
  double* sums = nullptr;
  try {
    if (act != kLinear) dz_buffer = tls_dz.Get(mn);
    if (dbias != nullptr) sums = tls_bias_sums.Get(s.n);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(info.Env(), "edgetensor native denseBackward: out of memory for the activation gradient and bias sums");
  }
  const float* dz = dy;
  if (act != kLinear) {
    const ActivationGradientFn gradient =
        PickTable(scalar::GetDenseGradTable, avx2::GetDenseGradTable, avx512::GetDenseGradTable).activation_gradient[act];
    auto rows = [=](int64_t r0, int64_t r1) {
      gradient(dy + r0 * s.n, y + r0 * s.n, dz_buffer + r0 * s.n, (r1 - r0) * s.n, alpha);
    };
    SplitWork(s.m, s.n, rows);
    dz = dz_buffer;
  }
  // With z = op(a) op(b): dop(a) = dz op(b)^T and dop(b) = op(a)^T dz, each written in the
  // stored layout of its operand (so a transposed operand gets a transposed product).
  if (da != nullptr) {
    if (!s.trans_a) RunGemm(info.Env(), s.m, s.k, s.n, false, !s.trans_b, dz, b, da);
    else RunGemm(info.Env(), s.k, s.m, s.n, s.trans_b, true, b, dz, da);
  }
  if (db != nullptr) {
    if (!s.trans_b) RunGemm(info.Env(), s.k, s.n, s.m, !s.trans_a, false, a, dz, db);
    else RunGemm(info.Env(), s.n, s.k, s.m, true, s.trans_a, dz, a, db);
  }
  if (dbias != nullptr) {
    // Column sums accumulated in double: the batch can be long.
    std::fill(sums, sums + s.n, 0.0);
    for (int64_t r = 0; r < s.m; ++r) {
      const float* row = dz + r * s.n;
      for (int64_t j = 0; j < s.n; ++j) sums[j] += row[j];
    }
    for (int64_t j = 0; j < s.n; ++j) dbias[j] = static_cast<float>(sums[j]);
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterDense(Napi::Env env, Napi::Object exports) {
  Export<DenseForward>(env, exports, "denseForward");
  Export<DenseBackward>(env, exports, "denseBackward");
}

}  // namespace et
