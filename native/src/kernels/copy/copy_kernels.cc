#include "kernels/copy/copy_kernels.h"

#include <algorithm>
#include <cstring>

#include "kernels/simd/dispatch.h"

namespace et {
namespace {

// Gathered rows are scattered (a shuffled batch of training samples): each row's first lines
// miss the caches, and copying row by row waits on one miss after another. Fetching the rows a
// few ahead keeps several in flight. Only a row's first lines: past them the hardware
// prefetcher follows the copy along the row.
constexpr int64_t kGatherPrefetchRows = 4;
constexpr size_t kGatherPrefetchBytes = 4096;

void PrefetchBytes(const char* p, size_t bytes) {
  for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(p + offset);
}

int64_t Product(const Dims& v, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) p *= v[i];
  return p;
}

// A transpose reduced to its essentials: size-1 axes dropped and input axes that stay
// adjacent merged. Out axis k has extent dims[k] and input stride in_strides[k].
struct TransposePlan {
  Dims dims, in_strides;
  bool last_axis_kept = false;  // out's last axis is x's contiguous axis
};

TransposePlan PlanTranspose(const Dims& shape, const Dims& perm) {
  // Keep axes of extent > 1; remap perm onto them.
  Dims kept_index = Dims::Zeros(shape.size()), kept_shape;
  for (size_t a = 0; a < shape.size(); ++a) {
    kept_index[a] = -1;
    if (shape[a] != 1) {
      kept_index[a] = static_cast<int64_t>(kept_shape.size());
      kept_shape.push_back(shape[a]);
    }
  }
  Dims p;
  for (const int64_t a : perm) {
    if (kept_index[a] >= 0) p.push_back(kept_index[a]);
  }
  // Group runs of consecutive input axes (in out order); each run is one merged axis.
  Dims first, last;  // group k: input axes [first[k], last[k]], groups in out order
  for (const int64_t a : p) {
    if (!last.empty() && a == last.back() + 1) {
      last.back() = a;
    } else {
      first.push_back(a);
      last.push_back(a);
    }
  }
  const size_t groups = first.size();
  // Merged axes in input order give their strides.
  Dims order = Dims::Zeros(groups);
  for (size_t i = 0; i < groups; ++i) order[i] = static_cast<int64_t>(i);
  std::sort(order.begin(), order.end(), [&](int64_t l, int64_t r) { return first[l] < first[r]; });
  Dims stride_of_group = Dims::Zeros(groups);
  int64_t stride = 1;
  for (size_t i = groups; i-- > 0;) {
    const size_t g = static_cast<size_t>(order[i]);
    stride_of_group[g] = stride;
    stride *= Product(kept_shape, static_cast<size_t>(first[g]), static_cast<size_t>(last[g]) + 1);
  }
  TransposePlan plan;
  for (size_t k = 0; k < groups; ++k) {
    plan.dims.push_back(Product(kept_shape, static_cast<size_t>(first[k]), static_cast<size_t>(last[k]) + 1));
    plan.in_strides.push_back(stride_of_group[k]);
  }
  plan.last_axis_kept = !plan.in_strides.empty() && plan.in_strides.back() == 1;
  return plan;
}

// Input offset of out item `index` over the axes `axes` (odometer order, last fastest).
int64_t InputOffset(int64_t index, const TransposePlan& plan, const Dims& axes) {
  int64_t off = 0;
  for (size_t i = axes.size(); i-- > 0;) {
    const size_t k = static_cast<size_t>(axes[i]);
    off += (index % plan.dims[k]) * plan.in_strides[k];
    index /= plan.dims[k];
  }
  return off;
}

template <typename T>
void TransposeTyped(const T* x, T* out, const TransposePlan& plan) {
  const size_t r = plan.dims.size();
  const int64_t last = plan.dims[r - 1];
  if (plan.last_axis_kept) {
    // Rows of `last` contiguous elements move as a whole.
    Dims axes;
    for (size_t k = 0; k + 1 < r; ++k) axes.push_back(static_cast<int64_t>(k));
    const int64_t rows = Product(plan.dims, 0, r - 1);
    auto body = [&](int64_t b, int64_t e) {
      for (int64_t row = b; row < e; ++row) {
        std::memcpy(out + row * last, x + InputOffset(row, plan, axes), static_cast<size_t>(last) * sizeof(T));
      }
    };
    SplitWork(rows, last, body);
    return;
  }
  // 2-D tiles over (q, last): q is the out axis holding x's contiguous axis; reads run along
  // q, writes along last. The other out axes index whole planes.
  size_t q = 0;
  while (plan.in_strides[q] != 1) ++q;
  const int64_t dq = plan.dims[q], last_stride = plan.in_strides[r - 1];
  const int64_t q_out_stride = Product(plan.dims, q + 1, r);
  Dims others, other_out_strides;
  for (size_t k = 0; k + 1 < r; ++k) {
    if (k != q) {
      others.push_back(static_cast<int64_t>(k));
      other_out_strides.push_back(Product(plan.dims, k + 1, r));
    }
  }
  constexpr int64_t kTile = sizeof(T) == 1 ? 64 : 32;
  const int64_t planes = Product(plan.dims, 0, r) / (dq * last);
  const int64_t q_tiles = (dq + kTile - 1) / kTile;
  auto body = [&](int64_t b, int64_t e) {
    for (int64_t task = b; task < e; ++task) {
      const int64_t plane = task / q_tiles, i0 = task % q_tiles * kTile;
      const int64_t i1 = std::min(dq, i0 + kTile);
      int64_t in_base = 0, out_base = 0;
      for (size_t i = others.size(), rem = static_cast<size_t>(plane); i-- > 0;) {
        const int64_t idx = static_cast<int64_t>(rem) % plan.dims[others[i]];
        rem /= static_cast<size_t>(plan.dims[others[i]]);
        in_base += idx * plan.in_strides[others[i]];
        out_base += idx * other_out_strides[i];
      }
      for (int64_t j0 = 0; j0 < last; j0 += kTile) {
        const int64_t j1 = std::min(last, j0 + kTile);
        for (int64_t i = i0; i < i1; ++i) {
          T* dst = out + out_base + i * q_out_stride;
          const T* src = x + in_base + i;
          for (int64_t j = j0; j < j1; ++j) dst[j] = src[j * last_stride];
        }
      }
    }
  };
  SplitWork(planes * q_tiles, kTile * last, body);
}

}  // namespace

void TransposeCopy(const void* x, void* out, const Dims& shape, const Dims& perm, size_t elem_bytes) {
  const int64_t total = Product(shape, 0, shape.size());
  if (total == 0) return;
  const TransposePlan plan = PlanTranspose(shape, perm);
  if (plan.dims.size() <= 1) {
    std::memcpy(out, x, static_cast<size_t>(total) * elem_bytes);
  } else if (elem_bytes == 1) {
    TransposeTyped(static_cast<const uint8_t*>(x), static_cast<uint8_t*>(out), plan);
  } else {
    TransposeTyped(static_cast<const uint32_t*>(x), static_cast<uint32_t*>(out), plan);
  }
}

void SliceCopy(const void* x, void* out, const Dims& shape, const Dims& begin, const Dims& size, size_t elem_bytes) {
  const size_t r = shape.size();
  const int64_t total = Product(size, 0, r);
  if (total == 0) return;
  // The innermost axes taken whole, plus the one before them, form one contiguous run.
  size_t k = r;
  while (k > 0 && size[k - 1] == shape[k - 1]) --k;
  if (k > 0) --k;
  const int64_t run = Product(size, k, r);
  Dims in_strides = Dims::Zeros(r);
  int64_t stride = 1;
  for (size_t i = r; i-- > 0;) {
    in_strides[i] = stride;
    stride *= shape[i];
  }
  int64_t start = 0;
  for (size_t i = 0; i < r; ++i) start += begin[i] * in_strides[i];
  const char* src = static_cast<const char*>(x);
  char* dst = static_cast<char*>(out);
  const size_t run_bytes = static_cast<size_t>(run) * elem_bytes;
  auto body = [&](int64_t b, int64_t e) {
    for (int64_t row = b; row < e; ++row) {
      int64_t off = start;
      for (size_t i = k, rem = static_cast<size_t>(row); i-- > 0;) {
        off += static_cast<int64_t>(rem % static_cast<size_t>(size[i])) * in_strides[i];
        rem /= static_cast<size_t>(size[i]);
      }
      std::memcpy(dst + static_cast<size_t>(row) * run_bytes, src + static_cast<size_t>(off) * elem_bytes, run_bytes);
    }
  };
  SplitWork(total / run, run, body);
}

void ConcatCopy(const std::vector<const void*>& inputs, const std::vector<int64_t>& inners, int64_t outer,
                void* out, size_t elem_bytes) {
  int64_t width = 0;
  for (const int64_t w : inners) width += w;
  if (outer == 0 || width == 0) return;
  char* dst = static_cast<char*>(out);
  auto body = [&](int64_t b, int64_t e) {
    for (int64_t o = b; o < e; ++o) {
      int64_t col = 0;
      for (size_t i = 0; i < inputs.size(); ++i) {
        const size_t bytes = static_cast<size_t>(inners[i]) * elem_bytes;
        if (bytes) {
          std::memcpy(dst + static_cast<size_t>(o * width + col) * elem_bytes,
                      static_cast<const char*>(inputs[i]) + static_cast<size_t>(o) * bytes, bytes);
        }
        col += inners[i];
      }
    }
  };
  SplitWork(outer, width, body);
}

void GatherCopy(const void* x, int64_t outer, int64_t n, int64_t inner, const int32_t* indices, int64_t m,
                void* out, size_t elem_bytes) {
  if (outer == 0 || m == 0 || inner == 0) return;
  const size_t row_bytes = static_cast<size_t>(inner) * elem_bytes;
  const char* src = static_cast<const char*>(x);
  char* dst = static_cast<char*>(out);
  const auto source_row = [&](int64_t t) { return src + static_cast<size_t>((t / m) * n + indices[t % m]) * row_bytes; };
  const size_t prefetch_bytes = std::min(row_bytes, kGatherPrefetchBytes);
  auto body = [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e && t < b + kGatherPrefetchRows; ++t) PrefetchBytes(source_row(t), prefetch_bytes);
    for (int64_t t = b; t < e; ++t) {
      if (t + kGatherPrefetchRows < e) PrefetchBytes(source_row(t + kGatherPrefetchRows), prefetch_bytes);
      std::memcpy(dst + static_cast<size_t>(t) * row_bytes, source_row(t), row_bytes);
    }
  };
  SplitWork(outer * m, inner, body);
}

void StridedCopy(const void* x, int64_t x_offset, const Dims& x_strides, void* out, int64_t out_offset,
                 const Dims& out_strides, const Dims& shape, size_t elem_bytes) {
  const size_t r = shape.size();
  const int64_t total = Product(shape, 0, r);
  if (total == 0) return;
  const char* src = static_cast<const char*>(x);
  char* dst = static_cast<char*>(out);
  if (r == 0) {
    std::memcpy(dst + out_offset * elem_bytes, src + x_offset * elem_bytes, elem_bytes);
    return;
  }
  // The last axis is the inner loop: one memcpy when both sides are contiguous along it.
  const int64_t inner = shape[r - 1];
  const int64_t xs = x_strides[r - 1], os = out_strides[r - 1];
  const int64_t rows = total / inner;
  auto body = [&](int64_t b, int64_t e) {
    for (int64_t row = b; row < e; ++row) {
      int64_t xo = x_offset, oo = out_offset;
      for (size_t i = r - 1, rem = static_cast<size_t>(row); i-- > 0;) {
        const int64_t idx = static_cast<int64_t>(rem % static_cast<size_t>(shape[i]));
        rem /= static_cast<size_t>(shape[i]);
        xo += idx * x_strides[i];
        oo += idx * out_strides[i];
      }
      if (xs == 1 && os == 1) {
        std::memcpy(dst + oo * elem_bytes, src + xo * elem_bytes, static_cast<size_t>(inner) * elem_bytes);
      } else if (elem_bytes == 4) {
        const uint32_t* s4 = reinterpret_cast<const uint32_t*>(src) + xo;
        uint32_t* d4 = reinterpret_cast<uint32_t*>(dst) + oo;
        for (int64_t j = 0; j < inner; ++j) d4[j * os] = s4[j * xs];
      } else {
        for (int64_t j = 0; j < inner; ++j) dst[oo + j * os] = src[xo + j * xs];
      }
    }
  };
  SplitWork(rows, inner, body);
}

void SelectCopy(const uint8_t* cond, const void* a, const void* b, void* out, int64_t n, size_t elem_bytes) {
  auto body = [&](int64_t i0, int64_t i1) {
    if (elem_bytes == 4) {
      const uint32_t* a4 = static_cast<const uint32_t*>(a);
      const uint32_t* b4 = static_cast<const uint32_t*>(b);
      uint32_t* o4 = static_cast<uint32_t*>(out);
      for (int64_t i = i0; i < i1; ++i) o4[i] = cond[i] ? a4[i] : b4[i];
    } else {
      const uint8_t* a1 = static_cast<const uint8_t*>(a);
      const uint8_t* b1 = static_cast<const uint8_t*>(b);
      uint8_t* o1 = static_cast<uint8_t*>(out);
      for (int64_t i = i0; i < i1; ++i) o1[i] = cond[i] ? a1[i] : b1[i];
    }
  };
  SplitRange(n, kParallelWork, body);
}

void OneHotFill(const int32_t* indices, int64_t n, int64_t depth, int32_t* out) {
  std::memset(out, 0, static_cast<size_t>(n * depth) * sizeof(int32_t));
  for (int64_t i = 0; i < n; ++i) {
    if (indices[i] >= 0 && indices[i] < depth) out[i * depth + indices[i]] = 1;
  }
}

}  // namespace et
