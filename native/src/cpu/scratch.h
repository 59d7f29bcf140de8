// Grow-only, 64-byte aligned scratch memory: Get(count) hands back at least count elements,
// reusing the buffer of earlier calls, so a kernel called step after step allocates only until
// its largest size has been seen. Kept thread_local (or per thread) by its users; never shared
// between threads. Throws std::bad_alloc when the system has no memory for it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

namespace et {

template <typename T>
class Scratch {
 public:
  T* Get(int64_t count) {
    if (count > capacity_) {
      const int64_t elements = ((count > 0 ? count : 1) * static_cast<int64_t>(sizeof(T)) + 63) / 64 * 64 /
                               static_cast<int64_t>(sizeof(T));
      void* p = std::aligned_alloc(64, static_cast<size_t>(elements) * sizeof(T));
      if (!p) throw std::bad_alloc();
      buffer_.reset(static_cast<T*>(p));
      capacity_ = count;
    }
    return buffer_.get();
  }

 private:
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T, Free> buffer_;
  int64_t capacity_ = 0;
};

}  // namespace et
