#include "cpu/heap_retention.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace et {
namespace {

// glibc's largest mmap threshold on 64-bit targets (its adaptive threshold stops there too).
constexpr int kMmapThresholdBytes = 32 << 20;
// As much as the native output pool keeps for reuse.
constexpr int kTrimThresholdBytes = 128 << 20;

bool UserTunedMalloc() {
  if (std::getenv("MALLOC_TRIM_THRESHOLD_") || std::getenv("MALLOC_MMAP_THRESHOLD_")) return true;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  return tunables && std::strstr(tunables, "glibc.malloc.") != nullptr;
}

}  // namespace

bool RetainFreedHeap() {
#if defined(__GLIBC__)
  if (UserTunedMalloc()) return false;
  // Setting either turns glibc's adaptive mmap threshold off, so both are set.
  return mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes) == 1;
#else
  return false;
#endif
}

}  // namespace et
