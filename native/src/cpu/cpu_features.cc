#include "cpu/cpu_features.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <cpuid.h>
#define ET_X86 1
#endif

namespace et {
namespace {

#if ET_X86
uint64_t ReadXcr0() {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

Isa DetectIsa() {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return Isa::kScalar;
  const bool osxsave = ecx & (1u << 27);
  const bool avx = ecx & (1u << 28);
  const bool fma = ecx & (1u << 12);
  const bool f16c = ecx & (1u << 29);
  if (!osxsave || !avx) return Isa::kScalar;
  const uint64_t xcr0 = ReadXcr0();
  const bool ymm_state = (xcr0 & 0x6) == 0x6;
  const bool zmm_state = (xcr0 & 0xE6) == 0xE6;
  if (!ymm_state) return Isa::kScalar;
  if (__get_cpuid_max(0, nullptr) < 7) return Isa::kScalar;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const bool avx2 = ebx & (1u << 5);
  const bool avx512f = ebx & (1u << 16);
  const bool avx512dq = ebx & (1u << 17);
  const bool avx512bw = ebx & (1u << 30);
  const bool avx512vl = ebx & (1u << 31);
  if (!(avx2 && fma && f16c)) return Isa::kScalar;
  if (avx512f && avx512dq && avx512bw && avx512vl && zmm_state) return Isa::kAvx512;
  return Isa::kAvx2;
}
#else
Isa DetectIsa() { return Isa::kScalar; }
#endif

Isa InitialIsa() {
  const Isa best = DetectIsa();
  const char* requested = std::getenv("EDGETENSOR_ISA");
  Isa forced;
  // Only a lower path may be forced: asking for more than the CPU has keeps the best one.
  if (requested && *requested && ParseIsa(requested, &forced) && forced <= best) return forced;
  return best;
}

std::atomic<Isa>& ActiveIsaSlot() {
  static std::atomic<Isa> slot{InitialIsa()};
  return slot;
}

}  // namespace

const char* IsaName(Isa isa) {
  switch (isa) {
    case Isa::kAvx512: return "avx512";
    case Isa::kAvx2: return "avx2";
    default: return "scalar";
  }
}

bool ParseIsa(const char* name, Isa* out) {
  if (std::strcmp(name, "scalar") == 0) { *out = Isa::kScalar; return true; }
  if (std::strcmp(name, "avx2") == 0) { *out = Isa::kAvx2; return true; }
  if (std::strcmp(name, "avx512") == 0) { *out = Isa::kAvx512; return true; }
  return false;
}

Isa BestSupportedIsa() {
  static const Isa best = DetectIsa();
  return best;
}

Isa ActiveIsa() { return ActiveIsaSlot().load(std::memory_order_relaxed); }

bool SetActiveIsa(Isa isa) {
  if (isa > BestSupportedIsa()) return false;
  ActiveIsaSlot().store(isa, std::memory_order_relaxed);
  return true;
}

}  // namespace et
