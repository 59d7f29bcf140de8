// JS entry point of the fused-loss family: sparseSoftmaxCrossEntropy(logits, labels, loss,
// grad, rows, cols, mean) writes each row's loss and the gradient of the loss sum with respect
// to the logits; with mean, loss[0] is the mean over the rows and the gradient is that of the
// mean. Labels are checked before anything is written.
#include <cstdint>
#include <new>
#include <string>

#include "bindings.h"
#include "cpu/scratch.h"
#include "kernels/loss/loss_kernels.h"
#include "kernels/simd/dispatch.h"
#include "napi_args.h"

namespace et {
namespace {

Napi::Value SparseSoftmaxCrossEntropy(const CallInfo& info) {
  Args args(info, "sparseSoftmaxCrossEntropy", 7);
  const int64_t rows = args.Size(4, "rows");
  const int64_t cols = args.Size(5, "cols");
  const bool mean = args.Bool(6, "mean");
  const int64_t n = CheckedElementCount(args, 5, "cols", {rows, cols});
  const float* logits = args.Float32(0, "logits", n);
  const int32_t* labels = args.Int32(1, "labels", rows);
  float* loss = args.Float32(2, "loss", mean ? 1 : rows);
  float* grad = args.Float32(3, "grad", n);
  if (rows > 0 && cols == 0) args.FailRange(5, "cols", "must be at least 1 when there are rows (no class to pick)");
  for (int64_t r = 0; r < rows; ++r) {
    if (labels[r] < 0 || labels[r] >= cols) {
      args.FailRange(1, "labels", "holds " + std::to_string(labels[r]) + " at position " + std::to_string(r) +
                                      ", outside the classes [0, " + std::to_string(cols - 1) + "]");
    }
  }
  if (mean && rows == 0) {
    loss[0] = 0.0f / 0.0f;  // the mean of nothing, as mean() gives
    return info.Env().Undefined();
  }
  if (n == 0) return info.Env().Undefined();
  // The row losses a mean is taken over: this thread's buffer, reused from call to call.
  thread_local Scratch<float> tls_row_losses;
  float* row_losses = nullptr;
  if (mean) {
    try {
      row_losses = tls_row_losses.Get(rows);
    } catch (const std::bad_alloc&) {
      throw Napi::Error::New(info.Env(), "edgetensor native sparseSoftmaxCrossEntropy: out of memory for the row losses");
    }
  }
  float* per_row = mean ? row_losses : loss;
  const float grad_scale = mean ? static_cast<float>(1.0 / static_cast<double>(rows)) : 1.0f;
  const SparseSoftmaxXentFn fn =
      PickTable(scalar::GetLossTable, avx2::GetLossTable, avx512::GetLossTable).sparse_softmax_xent;
  auto body = [=](int64_t r0, int64_t r1) { fn(logits, labels, per_row, grad, r0, r1, cols, grad_scale); };
  SplitWork(rows, cols, body);
  if (mean) {
    double total = 0;
    for (int64_t r = 0; r < rows; ++r) total += row_losses[r];
    loss[0] = static_cast<float>(total / static_cast<double>(rows));
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterLoss(Napi::Env env, Napi::Object exports) {
  Export<SparseSoftmaxCrossEntropy>(env, exports, "sparseSoftmaxCrossEntropy");
}

}  // namespace et
