// `rcbench run` without the command line: plan, register with Google Benchmark,
// run with progress, and hand back Google Benchmark's JSON plus what it cannot carry.
#pragma once

#include "plan.hpp"
#include "runtime.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::harness {

struct RunRequest {
  std::string profile = "default";
  PlanOverrides overrides;
  std::optional<unsigned> repetitions;    // else the profile's
  std::optional<double> min_time_s;       // else the profile's
  std::string filter;                     // regex over benchmark names (Google Benchmark's)
  bool probes = true;
  InjectedSlowdown slowdown;
  std::vector<std::string> benchmark_args;  // extra --benchmark_* flags, passed through
  std::filesystem::path gbench_json;      // where Google Benchmark writes its JSON
};

struct RunRecord {
  nlohmann::json rcbench;  // the "rcbench" object of the run JSON (docs/run-format.md)
  std::size_t errors = 0;  // benchmarks that reported an error
};

// Everything before running: the plan, as the run would execute it. Throws
// std::invalid_argument for bad names and counts.
std::vector<PlannedBenchmark> plan_for(const RunRequest&, const topo::Topology&);

// Seconds the plan is expected to take (printed before starting).
double estimate_seconds(const std::vector<PlannedBenchmark>&, unsigned repetitions, double min_time_s);

// Runs the plan; Google Benchmark writes its JSON to request.gbench_json.
RunRecord run_plan(const RunRequest&, const std::vector<PlannedBenchmark>&, const Runtime&);

}  // namespace rcbench::harness
