// Argument checking for every addon entry point: each helper validates one argument and
// throws a JS TypeError / RangeError naming the function, the argument and what was wrong,
// before any kernel touches memory.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "call_info.h"
#include "dims.h"

namespace et {

// Element types of the typed arrays the addon accepts (the storage of float32 / int32 / bool).
enum class ElemType { kFloat32, kInt32, kUint8 };

struct TypedView {
  void* data;
  size_t length;  // in elements
  ElemType type;
};

// One group of an argument holding Float32Arrays in groups (see Args::Float32Groups): an
// optimizer's parameter, its gradient and its slots, all updated over the parameter's n elements.
struct Float32Group {
  static constexpr size_t kMaxArrays = 5;
  float* arrays[kMaxArrays];
  int64_t n;
};

// How a message names an argument: plainly ("x"), or as a member of a group of arguments
// ("grad of group 1", whose length is its group's first member's: "param"). Held as pointers
// and built into text only when a message needs it, so a call that passes allocates nothing.
struct ArgName {
  ArgName(const char* plain) : name(plain) {}  // NOLINT: every const char* name is one
  ArgName(const char* member, int64_t group_index, const char* first_member)
      : name(member), group(group_index), length_from(first_member) {}
  std::string Text() const;

  const char* name;
  int64_t group = -1;
  const char* length_from = nullptr;
};

class Args {
 public:
  // Exactly expected_count arguments, or at least that many when more_allowed (a function whose
  // last arguments are a run of arrays).
  Args(const CallInfo& info, const char* function_name, size_t expected_count, bool more_allowed = false);

  [[noreturn]] void Fail(size_t index, const ArgName& arg_name, const std::string& what) const;
  [[noreturn]] void FailRange(size_t index, const ArgName& arg_name, const std::string& what) const;

  // A typed array of exactly this element type with at least min_length elements.
  float* Float32(size_t index, const char* arg_name, int64_t min_length) const;
  int32_t* Int32(size_t index, const char* arg_name, int64_t min_length) const;
  uint8_t* Uint8(size_t index, const char* arg_name, int64_t min_length) const;
  // A Float32Array, Int32Array or Uint8Array of at least min_length elements.
  TypedView AnyTyped(size_t index, const char* arg_name, int64_t min_length) const;

  // The arguments from index on: Float32Arrays in groups of member_names.size() (at most
  // Float32Group::kMaxArrays), each holding at least as many elements as its group's first, into
  // *groups (cleared first; a vector reused from call to call keeps its capacity). (Separate
  // arguments, not one JS Array: reading an Array's elements costs a property lookup each,
  // several times the typed-array check.)
  void Float32Groups(size_t index, const std::vector<const char*>& member_names, std::vector<Float32Group>* groups) const;

  // A non-negative integer below 2^53.
  int64_t Size(size_t index, const char* arg_name) const;
  // An integer in [lo, hi].
  int64_t IntInRange(size_t index, const char* arg_name, int64_t lo, int64_t hi) const;
  double Number(size_t index, const char* arg_name) const;
  bool Bool(size_t index, const char* arg_name) const;
  std::string String(size_t index, const char* arg_name) const;
  // A string that is one of names[0, count), as its position; else a TypeError (not a string) or
  // a RangeError listing the choices ("'Nope' is not a <kind>; expected one of Exp, Log, ...").
  int OneOf(size_t index, const char* arg_name, const char* const* names, int count, const char* kind) const;
  // An array of non-negative integers (a shape); rank at most kMaxRank.
  Dims Shape(size_t index, const char* arg_name) const;

  Napi::Env env() const { return info_.Env(); }
  const CallInfo& info() const { return info_; }

 private:
  // A typed array of at least min_length elements, of element type *want (null: a Float32Array,
  // Int32Array or Uint8Array).
  TypedView Typed(size_t index, const ArgName& arg_name, int64_t min_length, const ElemType* want) const;
  // Throws the error that explains why Typed refused argument index.
  [[noreturn]] void RejectTyped(size_t index, const ArgName& arg_name, int64_t min_length, const ElemType* want) const;
  // Throws the error that explains why IntInRange refused argument index.
  [[noreturn]] void RejectInt(size_t index, const char* arg_name, int64_t lo, int64_t hi) const;

  const CallInfo& info_;
  const char* function_name_;
};

// Product of the dims; throws a RangeError on overflow past 2^53.
int64_t CheckedElementCount(const Args& args, size_t index, const char* arg_name, const Dims& shape);

const char* ElemTypeName(ElemType type);

}  // namespace et
