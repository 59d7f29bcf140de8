// Each kernel family exposes its entry points on the addon's exports through one Register
// function, defined in that family's *_binding.cc file.
#pragma once

#include <napi.h>

namespace et {
void RegisterRuntime(Napi::Env env, Napi::Object exports);
void RegisterGemm(Napi::Env env, Napi::Object exports);
void RegisterElementwise(Napi::Env env, Napi::Object exports);
void RegisterReduce(Napi::Env env, Napi::Object exports);
void RegisterSoftmax(Napi::Env env, Napi::Object exports);
void RegisterCopy(Napi::Env env, Napi::Object exports);
void RegisterSegment(Napi::Env env, Napi::Object exports);
void RegisterOptim(Napi::Env env, Napi::Object exports);
void RegisterLoss(Napi::Env env, Napi::Object exports);
void RegisterDense(Napi::Env env, Napi::Object exports);
void RegisterDenseStack(Napi::Env env, Napi::Object exports);
}  // namespace et
