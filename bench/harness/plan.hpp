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

// How long one repetition's window of a row lasts. A GIL that a thread holds across
// blocks (gil_cpython, the real interpreter's rows) changes hands only once a waiter has
// waited a whole switch interval: about once per interval in the model, about every
// 11.5 ms at 5 ms in CPython 3.11 under load (PITFALLS.md). A window of the profile's
// min time (10 ms) lets two threads of 384 work. So such a row with N >= 2 threads gets
// at least N x interval x kGilTurnsPerThread: about that many turns per thread. Not 1:
// which waiter the GIL goes to is its condition variable's choice, not a rotation, and
// were it random the expected share of threads left without a turn after H x N
// handovers would be e^-H: 37% at 1, 2% at 4 (the counter threads_worked says how many
// did work). Not more: a 384-thread row already takes 7.7 s a repetition at 5 ms.
// Every other row (gil_lock waits one op for its lock, not an interval): min time.
inline constexpr double kGilTurnsPerThread = 4;

// The rule alone: max(min_time_s, threads x switch interval x kGilTurnsPerThread) for
// 2 or more threads, min_time_s for one (nobody to hand the GIL to).
double gil_window_s(unsigned threads, std::uint32_t switch_interval_us, double min_time_s);
// Whether `strategy` (a name as in benchmark names) holds a GIL across blocks.
bool holds_gil_across_blocks(std::string_view strategy);
// A planned row's window: the rule for a refcount row of such a strategy, capped at the
// profile's gil_window_cap_s (never below min_time_s), and min_time_s for every other
// row. The body runs it, the budget estimates with it, the run JSON records it.
double row_window_s(const BenchSpec&, double min_time_s);

// "deferred_64" -> {"deferred", 64}; "atomic" -> {"atomic", 0}. Throws on junk.
std::pair<std::string, std::uint32_t> split_strategy_name(std::string_view);
// "false_sharing:64" -> {false_sharing, 64}; throws on unknown names or bad params.
WorkloadChoice parse_workload_choice(std::string_view);

}  // namespace rcbench::harness
