// An LSE build on a CPU without LSE: say so and stop, before anything else runs.
// A constructor of high priority runs before every other static initializer of the
// executable (some already compile to atomic instructions, e.g. shared_ptr counts);
// main would be too late to turn the SIGILL into an explanation.
#include "atomics_mode.hpp"
#include "commands.hpp"

#include <cstdio>
#include <cstdlib>

namespace {

__attribute__((constructor(101))) void refuse_unrunnable_atomics_mode() {
  using namespace rcbench::harness;
  if (const auto why = atomics_mode_refusal(build_atomics_mode(), cpu_has_lse())) {
    std::fprintf(stderr, "rcbench: %s\n", why->c_str());
    std::_Exit(rcbench::cli::kUsageError);
  }
}

}  // namespace
