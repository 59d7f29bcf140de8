// Argument checks shared by the entry points that run GEMMs (gemm, denseForward,
// denseBackward): operand lengths with overflow checks, and output / input overlap.
#pragma once

#include <cstdint>

#include "napi_args.h"

namespace et {

// Elements a batched operand must hold: (batch - 1) * stride + rows * cols when batch > 0;
// a RangeError naming `dims` past 2^53 - 1.
int64_t OperandLength(const Args& args, size_t index, const char* name, int64_t batch, int64_t stride,
                      int64_t rows, int64_t cols, const char* dims);

// Fails (naming output and input) when the output's elements overlap the input's.
void CheckNoOverlap(const Args& args, size_t out_index, const char* out_name, const float* out, int64_t out_len,
                    const char* in_name, const float* in, int64_t in_len);

}  // namespace et
