// Which form of atomic read-modify-write this binary was compiled to (the atomics mode,
// cmake/RcbenchAtomics.cmake) and whether the CPU it runs on can execute it.
#pragma once

#include <optional>
#include <string>

namespace rcbench::harness {

// The instruction set this binary was compiled for: "x86_64", "aarch64", ...
const char* build_isa();
// "lock" on x86-64; "outline", "llsc" or "lse" on aarch64.
const char* build_atomics_mode();

// Whether the running CPU has ARMv8.1 LSE atomics (HWCAP_ATOMICS in the auxiliary
// vector); nullopt where the question does not arise (not aarch64).
std::optional<bool> cpu_has_lse();

// Why a binary built with `mode` cannot run on a CPU with `has_lse`, or nullopt when
// it can: an LSE build on a CPU without LSE would die with SIGILL at its first atomic.
std::optional<std::string> atomics_mode_refusal(const std::string& mode, std::optional<bool> has_lse);

}  // namespace rcbench::harness
