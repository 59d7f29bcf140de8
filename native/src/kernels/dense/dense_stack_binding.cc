// JS entry point of a stack of dense layers run in one call (batch-1 inference would otherwise
// pay an addon crossing and its argument checks per layer):
//   denseStack(x, y, m, dims, activations, alphas, kernel0, bias0, kernel1, bias1, ...)
// x [m, dims[0]]; layer i: h = act_i(h kernel_i + bias_i) with kernel_i [dims[i], dims[i + 1]]
// and bias_i [dims[i + 1]] or null; y [m, dims[L]] gets the last layer's output. dims is an
// Int32Array of L + 1 sizes, activations an Int32Array of L (FUSED_ACTIVATIONS' order, then
// 7 = softmax over each row), alphas a Float32Array of L (leakyRelu's slopes). The hidden
// layers' outputs live in per-thread scratch that only grows, so a steady stream of calls
// allocates nothing. Every argument is validated before memory is touched.
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "bindings.h"
#include "cpu/scratch.h"
#include "kernels/dense/dense_layer.h"
#include "kernels/gemm/gemm_args.h"
#include "napi_args.h"

namespace et {
namespace {

constexpr size_t kFixedArgs = 6;

struct Layer {
  const float* kernel;
  const float* bias;
  int64_t k, n;
  Activation act;
  float alpha;
};

// Per calling thread, grown as needed: the layers' descriptions and two hidden outputs.
thread_local std::vector<Layer> tls_layers;
thread_local Scratch<float> tls_hidden[2];

Napi::Value DenseStack(const CallInfo& info) {
  const size_t count = info.Length();
  if (count < kFixedArgs + 2 || (count - kFixedArgs) % 2 != 0) {
    throw Napi::TypeError::New(info.Env(), "edgetensor native.denseStack: expected x, y, m, dims, activations, alphas and a (kernel, bias) pair per layer, got " +
                                               std::to_string(count) + " arguments");
  }
  Args args(info, "denseStack", count);
  const int64_t layers = static_cast<int64_t>((count - kFixedArgs) / 2);
  const int64_t m = args.Size(2, "m");
  const int32_t* dims = args.Int32(3, "dims", layers + 1);
  const int32_t* acts = args.Int32(4, "activations", layers);
  const float* alphas = args.Float32(5, "alphas", layers);
  for (int64_t i = 0; i <= layers; ++i) {
    if (dims[i] < 1) args.FailRange(3, "dims", "must hold sizes >= 1, got " + std::to_string(dims[i]) + " at " + std::to_string(i));
  }
  if (tls_layers.size() < static_cast<size_t>(layers)) tls_layers.resize(static_cast<size_t>(layers));
  std::vector<Layer>& stack = tls_layers;
  int64_t widest_hidden = 0;
  for (int64_t i = 0; i < layers; ++i) {
    Layer& l = stack[static_cast<size_t>(i)];
    l.k = dims[i];
    l.n = dims[i + 1];
    if (acts[i] < 0 || acts[i] > kSoftmax) {
      args.FailRange(4, "activations", "must hold values in [0, " + std::to_string(kSoftmax) + "], got " + std::to_string(acts[i]) + " for layer " + std::to_string(i));
    }
    l.act = static_cast<Activation>(acts[i]);
    l.alpha = alphas[i];
    CheckAlpha(args, 5, l.act, l.alpha);
    const size_t at = kFixedArgs + 2 * static_cast<size_t>(i);
    l.kernel = args.Float32(at, "kernel", OperandLength(args, at, "kernel", 1, 0, l.k, l.n, "its dims"));
    const Napi::Value bias = info[at + 1];
    l.bias = bias.IsNull() || bias.IsUndefined() ? nullptr : args.Float32(at + 1, "bias", l.n);
    if (i + 1 < layers && l.n > widest_hidden) widest_hidden = l.n;
  }
  const int64_t x_len = OperandLength(args, 0, "x", 1, 0, m, dims[0], "m and dims[0]");
  const int64_t y_len = OperandLength(args, 1, "y", 1, 0, m, dims[layers], "m and the last of dims");
  const float* x = args.Float32(0, "x", x_len);
  float* y = args.Float32(1, "y", y_len);
  CheckNoOverlap(args, 1, "y", y, y_len, "x", x, x_len);
  for (int64_t i = 0; i < layers; ++i) {
    const Layer& l = stack[static_cast<size_t>(i)];
    CheckNoOverlap(args, 1, "y", y, y_len, "a kernel", l.kernel, l.k * l.n);
    CheckNoOverlap(args, 1, "y", y, y_len, "a bias", l.bias, l.n);
  }
  if (m == 0) return info.Env().Undefined();

  const int64_t hidden = OperandLength(args, 2, "m", 1, 0, m, widest_hidden, "m and the widest hidden layer");
  float* hidden_outputs[2];
  try {
    for (int i = 0; i < 2; ++i) hidden_outputs[i] = tls_hidden[i].Get(hidden);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(info.Env(), "edgetensor native.denseStack: out of memory for the hidden layers' outputs");
  }
  const float* in = x;
  for (int64_t i = 0; i < layers; ++i) {
    const Layer& l = stack[static_cast<size_t>(i)];
    float* out = i + 1 == layers ? y : hidden_outputs[i % 2];
    RunGemm(info.Env(), m, l.n, l.k, false, false, in, l.kernel, out);
    BiasActivation(out, l.bias, m, l.n, l.act, l.alpha);
    in = out;
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterDenseStack(Napi::Env env, Napi::Object exports) {
  Export<DenseStack>(env, exports, "denseStack");
}

}  // namespace et
