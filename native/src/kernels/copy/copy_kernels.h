// Data-movement kernels (transpose, slice, concat, gather) on raw elements of 1 or 4 bytes.
// Pure byte movement, so there is one baseline build (no per-ISA units): memcpy of
// contiguous runs and a cache-blocked 2-D tile loop for transposes. Arguments arrive
// validated by copy_binding.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "dims.h"

namespace et {

// out = x permuted: out axis k is input axis perm[k]. shape is x's shape.
void TransposeCopy(const void* x, void* out, const Dims& shape, const Dims& perm, size_t elem_bytes);

// out = x[begin[k] : begin[k] + size[k]] along every axis k.
void SliceCopy(const void* x, void* out, const Dims& shape, const Dims& begin, const Dims& size, size_t elem_bytes);

// out [outer, sum(inners)] = inputs[i] [outer, inners[i]] side by side.
void ConcatCopy(const std::vector<const void*>& inputs, const std::vector<int64_t>& inners, int64_t outer,
                void* out, size_t elem_bytes);

// out [outer, m, inner] = x [outer, n, inner] at rows indices[0..m) (all in [0, n)).
void GatherCopy(const void* x, int64_t outer, int64_t n, int64_t inner, const int32_t* indices, int64_t m,
                void* out, size_t elem_bytes);

// Copies a block of `shape` elements: element (i0, i1, ...) moves from
// x[x_offset + sum(i_k x_strides[k])] to out[out_offset + sum(i_k out_strides[k])].
// Stride 0 on the x side repeats (broadcast / tile); strided out writes into a larger tensor (pad).
void StridedCopy(const void* x, int64_t x_offset, const Dims& x_strides, void* out, int64_t out_offset,
                 const Dims& out_strides, const Dims& shape, size_t elem_bytes);

// out[i] = cond[i] ? a[i] : b[i] for i < n (elements of elem_bytes).
void SelectCopy(const uint8_t* cond, const void* a, const void* b, void* out, int64_t n, size_t elem_bytes);

// out [n, depth] int32 = one-hot rows of indices (a row of zeros for an index outside [0, depth)).
void OneHotFill(const int32_t* indices, int64_t n, int64_t depth, int32_t* out);

}  // namespace et
