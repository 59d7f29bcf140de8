// Flush-to-zero and denormals-are-zero for the current thread while a scope lives, restoring
// the thread's previous floating-point mode afterwards (JS on the same thread keeps IEEE
// subnormals). Used where values decay geometrically, such as optimizer moments, which would
// otherwise settle into subnormals and make every later step many times slower; TensorFlow
// flushes the same way on CPU.
#pragma once

#if defined(__SSE__) || defined(_M_X64)
#include <xmmintrin.h>

namespace et {

class FlushDenormalsScope {
 public:
  FlushDenormalsScope() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero); }
  ~FlushDenormalsScope() { _mm_setcsr(saved_); }
  FlushDenormalsScope(const FlushDenormalsScope&) = delete;
  FlushDenormalsScope& operator=(const FlushDenormalsScope&) = delete;

 private:
  static constexpr unsigned kFlushToZero = 0x8000;
  static constexpr unsigned kDenormalsAreZero = 0x0040;
  unsigned saved_;
};

}  // namespace et
#else
namespace et {
// Other CPUs keep their default mode: the flush is a speed measure, not a numerical one.
class FlushDenormalsScope {};
}  // namespace et
#endif
