// JS entry point of the GEMM family:
//   gemm(a, b, c, batch, m, n, k, transposeA, transposeB, aBatchStride, bBatchStride)
// c[bi] = op(a[bi]) x op(b[bi]), row-major (see src/backend/native/addon.ts). Validates every
// argument (types, integer sizes, buffer lengths with overflow checks, c not overlapping an
// input) before any memory is touched, then runs the driver in gemm.cc.
#include <cstdint>
#include <new>
#include <string>

#include "bindings.h"
#include "kernels/gemm/gemm_args.h"
#include "kernels/gemm/gemm_driver.h"
#include "napi_args.h"

namespace et {
namespace {

Napi::Value Gemm(const CallInfo& info) {
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
  const int64_t c_matrix = OperandLength(args, 2, "c", 1, 0, pr.m, pr.n, "m and n");
  const int64_t c_len = OperandLength(args, 2, "c", pr.batch, c_matrix, pr.m, pr.n, "batch, m and n");
  const float* a = args.Float32(0, "a", a_len);
  const float* b = args.Float32(1, "b", b_len);
  float* c = args.Float32(2, "c", c_len);
  CheckNoOverlap(args, 2, "c", c, c_len, "a", a, a_len);
  CheckNoOverlap(args, 2, "c", c, c_len, "b", b, b_len);

  try {
    gemm::Run(pr, a, b, c);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(info.Env(), "edgetensor native.gemm: out of memory for packing buffers");
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterGemm(Napi::Env env, Napi::Object exports) {
  Export<Gemm>(env, exports, "gemm");
}

}  // namespace et
