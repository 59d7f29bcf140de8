// JS entry point of the GEMM family:
//   gemm(a, b, c, batch, m, n, k, transposeA, transposeB, aBatchStride, bBatchStride)
// c[bi] = op(a[bi]) x op(b[bi]), row-major (see src/backend/native/addon.ts). Validates every
// argument (types, integer sizes, buffer lengths with overflow checks, c not overlapping an
// input) before any memory is touched, then runs the driver in gemm.cc.
#include <cstdint>
#include <new>
#include <string>

#include "bindings.h"
#include "kernels/gemm/gemm_driver.h"
#include "napi_args.h"

namespace et {
namespace {

constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

// a * b, or -1 past 2^53 - 1 (a, b non-negative and below 2^53).
int64_t SafeMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a > kMaxSafeInteger / b) return -1;
  return a * b;
}

// Elements a batched operand must hold: (batch - 1) * stride + rows * cols when batch > 0.
int64_t OperandLength(const Args& args, size_t index, const char* name, int64_t batch, int64_t stride,
                      int64_t rows, int64_t cols, const char* dims) {
  if (batch == 0) return 0;
  const int64_t per = SafeMul(rows, cols);
  const int64_t span = SafeMul(batch - 1, stride);
  if (per < 0 || span < 0 || span > kMaxSafeInteger - per) {
    args.FailRange(index, name, std::string("would need more than 2^53 - 1 elements: ") + dims +
                                    " are too large");
  }
  return span + per;
}

bool Overlaps(const float* x, int64_t nx, const float* y, int64_t ny) {
  if (nx == 0 || ny == 0) return false;
  const uintptr_t x0 = reinterpret_cast<uintptr_t>(x), y0 = reinterpret_cast<uintptr_t>(y);
  const uintptr_t x1 = x0 + static_cast<uintptr_t>(nx) * sizeof(float);
  const uintptr_t y1 = y0 + static_cast<uintptr_t>(ny) * sizeof(float);
  return x0 < y1 && y0 < x1;
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Args args(info, "gemm", 11);
  // Sizes first, then the operands (type and the length those sizes require).
  gemm::Problem pr;
  pr.batch = args.Size(3, "batch");
  pr.m = args.Size(4, "m");
  pr.n = args.Size(5, "n");
  pr.k = args.Size(6, "k");
  pr.trans_a = args.Bool(7, "transposeA");
  pr.trans_b = args.Bool(8, "transposeB");
  pr.a_batch_stride = args.Size(9, "aBatchStride");
  pr.b_batch_stride = args.Size(10, "bBatchStride");

  const int64_t a_len = OperandLength(args, 0, "a", pr.batch, pr.a_batch_stride, pr.m, pr.k,
                                      "batch, m, k and aBatchStride");
  const int64_t b_len = OperandLength(args, 1, "b", pr.batch, pr.b_batch_stride, pr.k, pr.n,
                                      "batch, k, n and bBatchStride");
  const int64_t c_len = OperandLength(args, 2, "c", pr.batch, SafeMul(pr.m, pr.n), pr.m, pr.n,
                                      "batch, m and n");
  const float* a = args.Float32(0, "a", a_len);
  const float* b = args.Float32(1, "b", b_len);
  float* c = args.Float32(2, "c", c_len);
  if (Overlaps(c, c_len, a, a_len)) args.FailRange(2, "c", "must not overlap a (the output would clobber an input)");
  if (Overlaps(c, c_len, b, b_len)) args.FailRange(2, "c", "must not overlap b (the output would clobber an input)");

  try {
    gemm::Run(pr, a, b, c);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(info.Env(), "edgetensor native.gemm: out of memory for packing buffers");
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterGemm(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
}

}  // namespace et
