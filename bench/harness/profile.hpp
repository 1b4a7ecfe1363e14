// Profiles: what `rcbench run --profile NAME` runs. One table, so the README, the
// help text and the plan all read the same definitions.
#pragma once

#include "spec.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rcbench::harness {

struct WorkloadChoice {
  Workload workload;
  std::uint32_t param = 0;  // false_sharing: pad bytes; mixed: shared percent
};

struct Profile {
  std::string name;
  std::string purpose;                    // one line for --help and the run's record
  std::vector<std::string> strategies;    // strategy names as in benchmark names
  std::vector<WorkloadChoice> workloads;  // multi-thread workloads (1 thread runs `private`)
  bool multi_thread = true;               // pairs per class, then compact/scatter for N > 2
  bool all_thread_counts = true;          // 4, 8, ... and all allowed PUs (else up to 2)
  unsigned repetitions = 3;
  double min_time_s = 0.01;               // per repetition, Google Benchmark's min time
  bool interleave = false;                // Google Benchmark's random interleaving
  bool calibration = true;                // overhead and ping-pong rows
  std::optional<std::size_t> pingpong_matrix = std::nullopt;  // sampled all-pairs ping-pong
  // At most this long a GIL row's window (plan.hpp, row_window_s): past it, a wide row
  // gives fewer turns than kGilTurnsPerThread and its threads_worked counter says so.
  std::optional<double> gil_window_cap_s = std::nullopt;
};

const std::vector<Profile>& profiles();
// Throws std::invalid_argument naming the known profiles.
const Profile& find_profile(std::string_view name);

// Every strategy name `rcbench run --strategies` accepts (deferred_<flush> for any flush).
std::vector<std::string> known_strategy_names();

}  // namespace rcbench::harness
