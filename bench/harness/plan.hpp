// From a profile and the machine's topology to the list of benchmarks to run.
// The plan grows with the number of placement classes and thread counts, never
// with PUs^2: one representative pair per class, then compact/scatter for N > 2.
#pragma once

#include "profile.hpp"
#include "spec.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::topo { class Topology; }

namespace rcbench::harness {

struct PlanOverrides {
  std::vector<std::string> strategies = {};   // empty: the profile's
  std::vector<std::string> workloads = {};    // "shared", "false_sharing:64", "mixed:10"; empty: profile's
  std::vector<unsigned> thread_counts = {};   // empty: 1, 2, 4, ... and all allowed PUs
  std::uint32_t switch_interval_us = 5000;  // CPython's default sys.getswitchinterval()
};

// Why a row is in the plan: the user selected it, or a selected row needs it (its GIL
// baseline, or the single-thread reference that normalises the GIL rows).
enum class Role { selected, baseline, reference };
std::string_view to_string(Role);

struct PlannedBenchmark {
  BenchSpec spec;
  std::string baseline;       // run_name of the gil_cpython row it is compared with
  std::string baseline_lock;  // run_name of the gil_lock row
  std::string baseline_real;  // run_name of the real interpreter's row (cpython3XX_eval), if built
  Role role = Role::selected;
};

// Throws std::invalid_argument for an unknown strategy or workload name and
// std::runtime_error (from topology) for a thread count the machine cannot place.
std::vector<PlannedBenchmark> make_plan(const Profile&, const topo::Topology&, const PlanOverrides&);

// The two GIL baselines (gil_cpython, gil_lock): rows compared with, not against.
bool is_gil_strategy(std::string_view name);

// "deferred_64" -> {"deferred", 64}; "atomic" -> {"atomic", 0}. Throws on junk.
std::pair<std::string, std::uint32_t> split_strategy_name(std::string_view);
// "false_sharing:64" -> {false_sharing, 64}; throws on unknown names or bad params.
WorkloadChoice parse_workload_choice(std::string_view);

}  // namespace rcbench::harness
