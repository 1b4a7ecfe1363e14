// Trying the counters before trusting them. Both probes run on a short-lived helper
// thread (PAPI event sets are per thread, and the software probe moves its thread
// between PUs), so the caller's own affinity and PAPI state are untouched.
#pragma once

#include <string>
#include <vector>

namespace rcbench::perf {

// Whether each source of context switches and migrations counts, found by counting
// across a 2 ms sleep (which must switch the thread out) and a forced move to another
// allowed PU (which must count one migration). Run once per process.
struct SoftwareProbe {
  bool papi_ctx_switches = false;
  bool papi_migrations = false;
  int papi_ctx_switches_code = 0;
  int papi_migrations_code = 0;
  std::string papi_ctx_switches_problem;
  std::string papi_migrations_problem;
  bool proc_migrations = false;
  std::string proc_migrations_problem;
  bool migration_forced = false;  // false: one PU allowed, so migration counts unverified
  std::string notes;              // what the probe saw, in words
};
const SoftwareProbe& software_probe();

// For each candidate PAPI event: can it be counted alone, and does it fit in one
// event set together with `always_codes` (the PAPI software events) and the
// candidates before it. Misfits trigger one try with a multiplexed set.
struct HardwareFit {
  std::vector<int> alone;     // per candidate: 0 or the PAPI error counting it alone
  std::vector<int> together;  // per candidate: 0 = in the final set, else the error
  bool multiplexed = false;
  int multiplex_error = 0;  // why a multiplexed set could not be made (0: not tried/ok)
};
HardwareFit probe_hardware(const std::vector<int>& always_codes,
                           const std::vector<int>& candidates);

}  // namespace rcbench::perf
