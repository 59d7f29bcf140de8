// How every addon entry point receives its call: CallInfo reads the arguments into an array on
// the stack (node-addon-api's CallbackInfo moves them to the heap past 6 arguments, and most
// entry points take more: gemm 11, an optimizer step 2 to 5 per parameter), and Export puts an
// entry point on the addon's exports, turning a C++ exception into a JS one.
#pragma once

#include <napi.h>

#include <cstddef>
#include <exception>
#include <string>
#include <vector>

namespace et {

class CallInfo {
 public:
  CallInfo(napi_env env, napi_callback_info info) : env_(env) {
    size_t count = kStackArgs;
    NAPI_THROW_IF_FAILED_VOID(env, napi_get_cb_info(env, info, &count, stack_, nullptr, nullptr));
    count_ = count;
    args_ = stack_;
    if (count > kStackArgs) {  // a long run of arrays: this thread's overflow list, reused
      thread_local std::vector<napi_value> overflow;
      if (overflow.size() < count) overflow.resize(count);
      NAPI_THROW_IF_FAILED_VOID(env, napi_get_cb_info(env, info, &count, overflow.data(), nullptr, nullptr));
      args_ = overflow.data();
    }
  }
  CallInfo(const CallInfo&) = delete;
  CallInfo& operator=(const CallInfo&) = delete;

  Napi::Env Env() const { return Napi::Env(env_); }
  size_t Length() const { return count_; }
  // Argument i, or undefined past the last.
  Napi::Value operator[](size_t i) const {
    return i < count_ ? Napi::Value(env_, args_[i]) : Env().Undefined();
  }

 private:
  static constexpr size_t kStackArgs = 32;
  napi_env env_;
  napi_value stack_[kStackArgs];
  napi_value* args_;
  size_t count_ = 0;
};

using EntryPoint = Napi::Value (*)(const CallInfo&);

template <EntryPoint Fn>
napi_value CallEntryPoint(napi_env env, napi_callback_info info) {
  try {
    const CallInfo call(env, info);
    return Fn(call);
  } catch (const Napi::Error& e) {
    e.ThrowAsJavaScriptException();
  } catch (const std::exception& e) {  // never expected: a JS error beats terminating the process
    Napi::Error::New(env, std::string("edgetensor native: ") + e.what()).ThrowAsJavaScriptException();
  }
  return nullptr;
}

template <EntryPoint Fn>
void Export(Napi::Env env, Napi::Object exports, const char* name) {
  napi_value fn;
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, name, NAPI_AUTO_LENGTH, CallEntryPoint<Fn>, nullptr, &fn));
  exports.Set(name, fn);
}

}  // namespace et
