#include "napi_args.h"

#include <cmath>
#include <cstring>

namespace et {
namespace {
constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

const char* TypeOfValue(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsTypedArray()) {
    switch (v.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_float32_array: return "Float32Array";
      case napi_float64_array: return "Float64Array";
      case napi_int32_array: return "Int32Array";
      case napi_uint8_array: return "Uint8Array";
      case napi_uint8_clamped_array: return "Uint8ClampedArray";
      case napi_int8_array: return "Int8Array";
      case napi_int16_array: return "Int16Array";
      case napi_uint16_array: return "Uint16Array";
      case napi_uint32_array: return "Uint32Array";
      default: return "a typed array of another type";
    }
  }
  if (v.IsArray()) return "an Array";
  if (v.IsNumber()) return "a number";
  if (v.IsString()) return "a string";
  if (v.IsBoolean()) return "a boolean";
  if (v.IsFunction()) return "a function";
  return "an object";
}

// The element type of the typed arrays the addon accepts; false for the others.
bool ElemTypeOf(napi_typedarray_type array_type, ElemType* type) {
  switch (array_type) {
    case napi_float32_array: *type = ElemType::kFloat32; return true;
    case napi_int32_array: *type = ElemType::kInt32; return true;
    case napi_uint8_array: *type = ElemType::kUint8; return true;
    default: return false;
  }
}

const char* WithArticle(ElemType type) {
  switch (type) {
    case ElemType::kFloat32: return "a Float32Array";
    case ElemType::kInt32: return "an Int32Array";
    default: return "a Uint8Array";
  }
}
}  // namespace

const char* ElemTypeName(ElemType type) {
  switch (type) {
    case ElemType::kFloat32: return "Float32Array";
    case ElemType::kInt32: return "Int32Array";
    default: return "Uint8Array";
  }
}

Args::Args(const CallInfo& info, const char* function_name, size_t expected_count, bool more_allowed)
    : info_(info), function_name_(function_name) {
  if (more_allowed ? info.Length() < expected_count : info.Length() != expected_count) {
    throw Napi::TypeError::New(info.Env(), std::string("edgetensor native.") + function_name + ": expected " +
                                               (more_allowed ? "at least " : "") + std::to_string(expected_count) +
                                               " arguments, got " + std::to_string(info.Length()));
  }
}

std::string ArgName::Text() const {
  return group < 0 ? std::string(name) : std::string(name) + " of group " + std::to_string(group);
}

void Args::Fail(size_t index, const ArgName& arg_name, const std::string& what) const {
  throw Napi::TypeError::New(info_.Env(), std::string("edgetensor native.") + function_name_ +
                                              ": argument " + std::to_string(index) + " (" +
                                              arg_name.Text() + ") " + what);
}

void Args::FailRange(size_t index, const ArgName& arg_name, const std::string& what) const {
  throw Napi::RangeError::New(info_.Env(), std::string("edgetensor native.") + function_name_ +
                                               ": argument " + std::to_string(index) + " (" +
                                               arg_name.Text() + ") " + what);
}

// The raw napi call below makes one crossing per argument: the wrappers' type checks and cached
// getters make two to four, a measurable share of a small kernel's call. The messages are built
// apart, in RejectTyped, which keeps this check small enough to inline into a loop of arguments.
TypedView Args::Typed(size_t index, const ArgName& arg_name, int64_t min_length, const ElemType* want) const {
  napi_typedarray_type array_type;
  TypedView view{};
  const bool accepted =
      napi_get_typedarray_info(info_.Env(), info_[index], &array_type, &view.length, &view.data, nullptr, nullptr) == napi_ok &&
      ElemTypeOf(array_type, &view.type) && (!want || view.type == *want) && min_length >= 0 &&
      static_cast<uint64_t>(min_length) <= view.length;
  if (!accepted) RejectTyped(index, arg_name, min_length, want);
  return view;
}

void Args::RejectTyped(size_t index, const ArgName& arg_name, int64_t min_length, const ElemType* want) const {
  const Napi::Value v = info_[index];
  napi_typedarray_type array_type;
  size_t length = 0;
  ElemType type;
  const bool is_typed = napi_get_typedarray_info(info_.Env(), v, &array_type, &length, nullptr, nullptr, nullptr) == napi_ok;
  if (!is_typed || !ElemTypeOf(array_type, &type) || (want && type != *want)) {
    const char* expected = want ? WithArticle(*want) : is_typed ? "a Float32Array, Int32Array or Uint8Array" : "a typed array";
    Fail(index, arg_name, std::string("must be ") + expected + ", got " + TypeOfValue(v));
  }
  if (min_length < 0) FailRange(index, arg_name, "has a negative required length");
  FailRange(index, arg_name, "is too short: needs " + std::to_string(min_length) + " elements" +
                                 (arg_name.length_from ? std::string(" (its ") + arg_name.length_from + "'s)" : "") +
                                 ", has " + std::to_string(length));
}

float* Args::Float32(size_t index, const char* arg_name, int64_t min_length) const {
  constexpr ElemType kWant = ElemType::kFloat32;
  return static_cast<float*>(Typed(index, arg_name, min_length, &kWant).data);
}

int32_t* Args::Int32(size_t index, const char* arg_name, int64_t min_length) const {
  constexpr ElemType kWant = ElemType::kInt32;
  return static_cast<int32_t*>(Typed(index, arg_name, min_length, &kWant).data);
}

uint8_t* Args::Uint8(size_t index, const char* arg_name, int64_t min_length) const {
  constexpr ElemType kWant = ElemType::kUint8;
  return static_cast<uint8_t*>(Typed(index, arg_name, min_length, &kWant).data);
}

TypedView Args::AnyTyped(size_t index, const char* arg_name, int64_t min_length) const {
  return Typed(index, arg_name, min_length, nullptr);
}

void Args::Float32Groups(size_t index, const std::vector<const char*>& member_names, std::vector<Float32Group>* groups) const {
  const size_t group_size = member_names.size();
  const size_t count = info_.Length() > index ? info_.Length() - index : 0;
  if (group_size == 0 || group_size > Float32Group::kMaxArrays || count % group_size != 0) {
    std::string names;
    for (const char* name : member_names) names += std::string(names.empty() ? "" : ", ") + name;
    throw Napi::RangeError::New(info_.Env(), std::string("edgetensor native.") + function_name_ + ": the " +
                                                 std::to_string(count) + " arrays from argument " + std::to_string(index) +
                                                 " on are not groups of " + std::to_string(group_size) + " (" + names + ")");
  }
  constexpr ElemType kWant = ElemType::kFloat32;
  groups->clear();
  for (size_t i = index; i < index + count; ++i) {
    const size_t member = (i - index) % group_size;
    const ArgName name(member_names[member], static_cast<int64_t>((i - index) / group_size), member_names[0]);
    const TypedView view = Typed(i, name, member == 0 ? 0 : groups->back().n, &kWant);
    if (member == 0) groups->push_back(Float32Group{{}, static_cast<int64_t>(view.length)});
    groups->back().arrays[member] = static_cast<float*>(view.data);
  }
}

double Args::Number(size_t index, const char* arg_name) const {
  const Napi::Value v = info_[index];
  double d;
  if (napi_get_value_double(info_.Env(), v, &d) != napi_ok) {
    Fail(index, arg_name, std::string("must be a number, got ") + TypeOfValue(v));
  }
  return d;
}

// Every size of every call comes through here: the accepting path is one raw napi read and
// three comparisons, with the messages built apart, in RejectInt (the check with them inline
// saved six registers and a 360-byte frame per call: 3.7 ns of a gemm call's 8 integers each).
int64_t Args::IntInRange(size_t index, const char* arg_name, int64_t lo, int64_t hi) const {
  double d;
  if (napi_get_value_double(info_.Env(), info_[index], &d) == napi_ok && d >= static_cast<double>(lo) &&
      d <= static_cast<double>(hi)) {
    // In range, so within int64_t: the cast is defined, and round-trips only for an integer.
    const int64_t i = static_cast<int64_t>(d);
    if (static_cast<double>(i) == d) return i;
  }
  RejectInt(index, arg_name, lo, hi);
}

void Args::RejectInt(size_t index, const char* arg_name, int64_t lo, int64_t hi) const {
  const double d = Number(index, arg_name);
  if (!std::isfinite(d) || d != std::floor(d)) {
    FailRange(index, arg_name, "must be an integer, got " + std::to_string(d));
  }
  FailRange(index, arg_name, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                                 std::to_string(static_cast<int64_t>(d)));
}

int64_t Args::Size(size_t index, const char* arg_name) const {
  return IntInRange(index, arg_name, 0, kMaxSafeInteger);
}

bool Args::Bool(size_t index, const char* arg_name) const {
  const Napi::Value v = info_[index];
  bool b;
  if (napi_get_value_bool(info_.Env(), v, &b) != napi_ok) {
    Fail(index, arg_name, std::string("must be a boolean, got ") + TypeOfValue(v));
  }
  return b;
}

std::string Args::String(size_t index, const char* arg_name) const {
  const Napi::Value v = info_[index];
  if (!v.IsString()) Fail(index, arg_name, std::string("must be a string, got ") + TypeOfValue(v));
  return v.As<Napi::String>().Utf8Value();
}

int Args::OneOf(size_t index, const char* arg_name, const char* const* names, int count, const char* kind) const {
  // One raw read into a stack buffer, and names told apart by their first letter before any full
  // comparison: the wrappers' std::string and compare over every name took half of a 16-element
  // unary call (145 of 310 ns). A longer string comes back cut to 31 bytes, a length no name has.
  char text[32];
  size_t length = 0;
  if (napi_get_value_string_utf8(info_.Env(), info_[index], text, sizeof text, &length) == napi_ok && length > 0) {
    for (int i = 0; i < count; ++i) {
      if (names[i][0] == text[0] && std::strlen(names[i]) == length && std::memcmp(names[i], text, length) == 0) return i;
    }
  }
  const std::string name = String(index, arg_name);
  std::string list;
  for (int i = 0; i < count; ++i) list += std::string(i ? ", " : "") + names[i];
  FailRange(index, arg_name, "'" + name + "' is not a " + kind + "; expected one of " + list);
}

Dims Args::Shape(size_t index, const char* arg_name) const {
  const Napi::Value v = info_[index];
  if (!v.IsArray()) Fail(index, arg_name, std::string("must be an array of dimensions, got ") + TypeOfValue(v));
  const auto arr = v.As<Napi::Array>();
  const uint32_t rank = arr.Length();
  if (rank > kMaxRank) {
    FailRange(index, arg_name, "has rank " + std::to_string(rank) + ", above the maximum " + std::to_string(kMaxRank));
  }
  // Raw napi calls, as above: one element fetch and one number read per dimension.
  const napi_env env = info_.Env();
  Dims shape = Dims::Zeros(rank);
  for (uint32_t i = 0; i < rank; ++i) {
    napi_value element;
    double x;
    if (napi_get_element(env, arr, i, &element) != napi_ok || napi_get_value_double(env, element, &x) != napi_ok) {
      Fail(index, arg_name, "has a non-numeric dimension at position " + std::to_string(i));
    }
    if (!std::isfinite(x) || x != std::floor(x) || x < 0 || x > static_cast<double>(kMaxSafeInteger)) {
      FailRange(index, arg_name, "has an invalid dimension " + std::to_string(x) + " at position " +
                                     std::to_string(i) + " (dimensions are non-negative integers)");
    }
    shape[i] = static_cast<int64_t>(x);
  }
  return shape;
}

int64_t CheckedElementCount(const Args& args, size_t index, const char* arg_name, const Dims& shape) {
  int64_t n = 1;
  for (const int64_t d : shape) {
    if (d != 0 && n > kMaxSafeInteger / d) args.FailRange(index, arg_name, "describes too many elements");
    n *= d;
  }
  return n;
}

}  // namespace et
