// Environment guard: was a run disturbed enough that its numbers cannot be judged?
// Reads what the run recorded (rcbench.environment: steal ticks and load average at
// start and end; per repetition: migrations of pinned threads). A disturbed run makes
// the comparison "inconclusive", never "regression": a busy neighbour on the host is
// not a slower counter.
#pragma once

#include "compare/gate_config.hpp"
#include "run/run_json.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::compare {

struct EnvironmentCheck {
  std::optional<double> steal_fraction;  // steal ticks / all CPU ticks, whole run
  std::optional<double> loadavg_1m_max;  // larger of start and end
  int pus = 0;                           // PUs the load average is divided by
  std::size_t reps = 0;                  // repetitions in the run (all benchmarks)
  std::size_t migrated_reps = 0;         // repetitions with migrations > 0
  bool disturbed = false;
  std::vector<std::string> notes;        // why disturbed, or what was not recorded
};

EnvironmentCheck check_environment(const runjson::Run& run, const EnvironmentLimits& limits);

}  // namespace rcbench::compare
