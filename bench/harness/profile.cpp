#include "profile.hpp"

#include "counters/strategies.hpp"

#include <stdexcept>

namespace rcbench::harness {
namespace {

// The real interpreter's rows where the build has them (bench/cpython), after the rest.
std::vector<std::string> with_real_interpreter(std::vector<std::string> strategies) {
  if constexpr (counters::kRealInterpreterRows) {
    strategies.emplace_back(counters::kRealEvalName);
    strategies.emplace_back(counters::kRealReleaseName);
  }
  return strategies;
}

const std::vector<std::string> kAllStrategies = with_real_interpreter(
    {"plain", "atomic", "atomic_seq_cst", "atomic_cas", "biased", "deferred_8", "deferred_64",
     "deferred_1024", "immortal", "gil_lock", "gil_cpython"});

const std::vector<WorkloadChoice> kAllWorkloads = {
    {Workload::private_objects},   {Workload::shared},
    {Workload::false_sharing, 8},  {Workload::false_sharing, 64},
    {Workload::false_sharing, 128}, {Workload::handoff},
    {Workload::mixed, 1},          {Workload::mixed, 10},
    {Workload::mixed, 50}};

std::vector<Profile> make_profiles() {
  std::vector<Profile> p;
  p.push_back({.name = "quick",
               .purpose = "CI smoke: every code path once, a few seconds",
               .strategies = with_real_interpreter({"plain", "atomic", "biased", "deferred_64",
                                                    "immortal", "gil_lock", "gil_cpython"}),
               .workloads = {{Workload::private_objects}, {Workload::shared},
                             {Workload::false_sharing, 64}, {Workload::handoff},
                             {Workload::mixed, 10}},
               .all_thread_counts = false,
               .repetitions = 2,
               .min_time_s = 0.002});
  p.push_back({.name = "default",
               .purpose = "every strategy x workload x placement class, minutes",
               .strategies = kAllStrategies,
               .workloads = kAllWorkloads,
               .repetitions = 9,   // enough for a U test (compare needs >= 9 per side)
               .min_time_s = 0.02,
               // Four turns a thread up to 10 threads at 5 ms (full: 100); wider GIL
               // rows say in threads_worked how many threads had a turn. Uncapped, the
               // 384-PU machine's default run would grow from ~10 minutes to ~2 hours
               // (estimate of --list); with this cap it is ~20 minutes.
               .gil_window_cap_s = 0.2});
  p.push_back({.name = "full",
               .purpose = "lab machines: more repetitions, longer runs, ping-pong matrix",
               .strategies = kAllStrategies,
               .workloads = kAllWorkloads,
               .repetitions = 15,
               .min_time_s = 0.1,
               .pingpong_matrix = 64,
               .gil_window_cap_s = 2.0});  // four turns a thread up to 100 threads at 5 ms
  p.push_back({.name = "gate",
               .purpose = "CI regression gate: single-thread rows and baselines, interleaved",
               .strategies = with_real_interpreter({"plain", "atomic", "atomic_cas", "biased", "deferred_64",
                                                    "immortal", "gil_lock", "gil_cpython"}),
               .workloads = {},
               .multi_thread = false,
               .all_thread_counts = false,
               .repetitions = 9,
               .min_time_s = 0.002,
               .interleave = true,
               .calibration = false});
  return p;
}

}  // namespace

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> all = make_profiles();
  return all;
}

const Profile& find_profile(std::string_view name) {
  std::string known;
  for (const Profile& p : profiles()) {
    if (p.name == name) return p;
    known += (known.empty() ? "" : ", ") + p.name;
  }
  throw std::invalid_argument("unknown profile '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> known_strategy_names() { return kAllStrategies; }

}  // namespace rcbench::harness
