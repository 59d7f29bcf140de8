// Data-movement kernels (transpose, slice, concat, gather) on raw elements of 1 or 4 bytes.
// Pure byte movement, so there is one baseline build (no per-ISA units): memcpy of
// contiguous runs and a cache-blocked 2-D tile loop for transposes. Arguments arrive
// validated by copy_binding.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace et {

// out = x permuted: out axis k is input axis perm[k]. shape is x's shape.
void TransposeCopy(const void* x, void* out, const std::vector<int64_t>& shape, const std::vector<int64_t>& perm,
                   size_t elem_bytes);

// out = x[begin[k] : begin[k] + size[k]] along every axis k.
void SliceCopy(const void* x, void* out, const std::vector<int64_t>& shape, const std::vector<int64_t>& begin,
               const std::vector<int64_t>& size, size_t elem_bytes);

// out [outer, sum(inners)] = inputs[i] [outer, inners[i]] side by side.
void ConcatCopy(const std::vector<const void*>& inputs, const std::vector<int64_t>& inners, int64_t outer,
                void* out, size_t elem_bytes);

// out [outer, m, inner] = x [outer, n, inner] at rows indices[0..m) (all in [0, n)).
void GatherCopy(const void* x, int64_t outer, int64_t n, int64_t inner, const int32_t* indices, int64_t m,
                void* out, size_t elem_bytes);

}  // namespace et
