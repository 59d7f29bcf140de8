// CPU feature detection and the run-time choice of instruction set.
// One binary runs on any x86-64: ISA-specific kernels live in *_avx2.cc / *_avx512.cc
// translation units and are only called after this module says the CPU and OS support them.
#pragma once

namespace et {

enum class Isa { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

const char* IsaName(Isa isa);
// Parses "scalar" | "avx2" | "avx512"; returns false for anything else.
bool ParseIsa(const char* name, Isa* out);

// The best ISA this CPU and OS support (AVX2 requires FMA and OS-saved YMM state,
// AVX-512 requires F+DQ+BW+VL and OS-saved ZMM/opmask state).
Isa BestSupportedIsa();

// The ISA kernels dispatch on. Initialised from EDGETENSOR_ISA (a lower path only),
// otherwise BestSupportedIsa().
Isa ActiveIsa();
// Switches the active ISA; returns false (and changes nothing) if the CPU lacks it.
bool SetActiveIsa(Isa isa);

}  // namespace et
