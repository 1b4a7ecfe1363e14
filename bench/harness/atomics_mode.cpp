#include "atomics_mode.hpp"

#if defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

namespace rcbench::harness {

const char* build_isa() { return RCBENCH_ISA; }
const char* build_atomics_mode() { return RCBENCH_ATOMICS_MODE; }

std::optional<bool> cpu_has_lse() {
#if defined(__aarch64__)
  return (getauxval(AT_HWCAP) & HWCAP_ATOMICS) != 0;
#else
  return std::nullopt;
#endif
}

std::optional<std::string> atomics_mode_refusal(const std::string& mode, std::optional<bool> has_lse) {
  if (mode != "lse" || has_lse.value_or(true)) return std::nullopt;
  return "this rcbench was built with LSE atomics (-DRCBENCH_ATOMICS=lse, -march=armv8.1-a) and "
         "this CPU has no LSE (HWCAP_ATOMICS is not set): its first atomic instruction would "
         "stop it with SIGILL. Build with -DRCBENCH_ATOMICS=outline (the default, which picks at "
         "run time) or -DRCBENCH_ATOMICS=llsc for this machine";
}

}  // namespace rcbench::harness
