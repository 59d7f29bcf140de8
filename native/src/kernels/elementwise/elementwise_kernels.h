// The elementwise kernel family's function table: unary maps, binary maps over one
// contiguous run (both operands varying, or one of them a broadcast scalar) and casts.
// Compiled per ISA from elementwise_impl.h; elementwise_binding.cc validates arguments,
// resolves broadcasting into runs, splits work across threads and picks the table.
// Plain C++ only: this header is included by the *_avx2.cc / *_avx512.cc units.
#pragma once

#include <stdint.h>

namespace et {

// Order matches the names in elementwise_binding.cc (the kernel names of src/backend/kernel.ts).
enum UnaryOp : int {
  kUnaryExp, kUnaryLog, kUnaryLog1p, kUnarySqrt, kUnaryRsqrt, kUnaryReciprocal, kUnaryFloor,
  kUnaryRound, kUnaryRelu6, kUnaryLeakyRelu, kUnaryElu, kUnarySelu, kUnaryGelu, kUnarySigmoid,
  kUnaryTanh, kUnarySoftplus, kUnarySin, kUnaryCos, kUnaryClipByValue,
  // Int-preserving ops (float32 or int32):
  kUnaryNeg, kUnaryAbs, kUnarySquare, kUnarySign, kUnaryRelu,
  kNumUnaryOps
};
constexpr int kFirstIntPreservingUnaryOp = kUnaryNeg;

enum BinaryOp : int {
  kBinaryAdd, kBinarySub, kBinaryMul, kBinaryDiv, kBinaryFloorDiv, kBinaryPow, kBinaryMaximum,
  kBinaryMinimum,
  // Comparisons (bool output):
  kBinaryEqual, kBinaryNotEqual, kBinaryGreater, kBinaryGreaterEqual, kBinaryLess, kBinaryLessEqual,
  kNumBinaryOps
};
constexpr int kFirstComparisonOp = kBinaryEqual;

// Element type index, in the order of et::ElemType: float32, int32, uint8 (bool).
constexpr int kNumDTypes = 3;

// How a binary run reads its operands.
enum BinaryMode : int { kBothVary = 0, kScalarB = 1, kScalarA = 2 };

using UnaryF32Fn = void (*)(const float* x, float* y, int64_t n, float alpha, float beta);
using UnaryI32Fn = void (*)(const int32_t* x, int32_t* y, int64_t n);
// out[i] = a[i] op b[i] (mode kBothVary), a[i] op b[0] (kScalarB) or a[0] op b[i] (kScalarA).
using BinaryFn = void (*)(const void* a, const void* b, void* out, int64_t n, int mode);
using CastFn = void (*)(const void* x, void* out, int64_t n);

struct ElementwiseTable {
  UnaryF32Fn unary_f32[kNumUnaryOps];
  UnaryI32Fn unary_i32[kNumUnaryOps];         // null for float-only ops
  BinaryFn binary[kNumDTypes][kNumBinaryOps];  // [input dtype][op]; null when unsupported
  CastFn cast[kNumDTypes][kNumDTypes];         // [from][to]
};

namespace scalar { const ElementwiseTable* GetElementwiseTable(); }
namespace avx2 { const ElementwiseTable* GetElementwiseTable(); }
namespace avx512 { const ElementwiseTable* GetElementwiseTable(); }

}  // namespace et
