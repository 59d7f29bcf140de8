#include "kernels/gemm/gemm_args.h"

#include <string>

namespace et {
namespace {

constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

// a * b, or -1 past 2^53 - 1 (a, b non-negative and below 2^53).
int64_t SafeMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a > kMaxSafeInteger / b) return -1;
  return a * b;
}

}  // namespace

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

void CheckNoOverlap(const Args& args, size_t out_index, const char* out_name, const float* out, int64_t out_len,
                    const char* in_name, const float* in, int64_t in_len) {
  if (out_len == 0 || in_len == 0 || out == nullptr || in == nullptr) return;
  const uintptr_t x0 = reinterpret_cast<uintptr_t>(out), y0 = reinterpret_cast<uintptr_t>(in);
  const uintptr_t x1 = x0 + static_cast<uintptr_t>(out_len) * sizeof(float);
  const uintptr_t y1 = y0 + static_cast<uintptr_t>(in_len) * sizeof(float);
  if (x0 < y1 && y0 < x1) {
    args.FailRange(out_index, out_name, std::string("must not overlap ") + in_name +
                                            " (the output would clobber an input)");
  }
}

}  // namespace et
