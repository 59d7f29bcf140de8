// Dims: a shape, or another short list of per-axis numbers, held inline. Shared by the argument
// checks (napi_args.h) and the kernels that walk shapes (copy, elementwise).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace et {

// Most dimensions a shape may have.
constexpr size_t kMaxRank = 12;

// A shape, or another list of at most kMaxRank per-axis numbers, held inline: reading or
// deriving one allocates nothing. push_back past kMaxRank entries is the caller's bug (shapes
// are checked against kMaxRank when read).
class Dims {
 public:
  Dims() = default;
  Dims(std::initializer_list<int64_t> values) {
    for (const int64_t v : values) push_back(v);
  }
  // n zeros.
  static Dims Zeros(size_t n) {
    Dims d;
    d.size_ = n;
    return d;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t operator[](size_t i) const { return values_[i]; }
  int64_t& operator[](size_t i) { return values_[i]; }
  int64_t& back() { return values_[size_ - 1]; }
  int64_t back() const { return values_[size_ - 1]; }
  void push_back(int64_t v) { values_[size_++] = v; }
  void clear() { size_ = 0; }
  const int64_t* begin() const { return values_; }
  const int64_t* end() const { return values_ + size_; }
  int64_t* begin() { return values_; }
  int64_t* end() { return values_ + size_; }
  bool operator==(const Dims& other) const {
    if (size_ != other.size_) return false;
    for (size_t i = 0; i < size_; ++i) {
      if (values_[i] != other.values_[i]) return false;
    }
    return true;
  }
  bool operator!=(const Dims& other) const { return !(*this == other); }

 private:
  int64_t values_[kMaxRank] = {};
  size_t size_ = 0;
};

}  // namespace et
