// JS entry point of the softmax family: softmax(x, out, rows, cols, log), row-wise over a
// [rows, cols] Float32Array (out may be x). Validates, splits rows across the pool, and
// calls the active ISA's kernel.
#include <cstdint>

#include "bindings.h"
#include "kernels/simd/dispatch.h"
#include "kernels/softmax/softmax_kernels.h"
#include "napi_args.h"

namespace et {
namespace {

Napi::Value Softmax(const CallInfo& info) {
  Args args(info, "softmax", 5);
  const int64_t rows = args.Size(2, "rows");
  const int64_t cols = args.Size(3, "cols");
  const int64_t n = CheckedElementCount(args, 3, "cols", {rows, cols});
  const float* x = args.Float32(0, "x", n);
  float* out = args.Float32(1, "out", n);
  const bool log = args.Bool(4, "log");
  if (n == 0) return info.Env().Undefined();
  const SoftmaxTable& table = PickTable(scalar::GetSoftmaxTable, avx2::GetSoftmaxTable, avx512::GetSoftmaxTable);
  const SoftmaxFn fn = log ? table.log_softmax : table.softmax;
  auto body = [=](int64_t r0, int64_t r1) { fn(x, out, r0, r1, cols); };
  SplitWork(rows, cols, body);
  return info.Env().Undefined();
}

}  // namespace

void RegisterSoftmax(Napi::Env env, Napi::Object exports) {
  Export<Softmax>(env, exports, "softmax");
}

}  // namespace et
