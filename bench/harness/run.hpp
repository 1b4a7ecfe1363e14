// `rcbench run` without the command line: plan, register with Google Benchmark,
// run with progress, and hand back Google Benchmark's JSON plus what it cannot carry.
#pragma once

#include "budget.hpp"
#include "gbench_flags.hpp"
#include "journal.hpp"
#include "runtime.hpp"
#include "selection.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace rcbench::harness {

// What rcbench's figures are measured by: 1, a fixed iteration count per thread with a
// runtime op loop; 2, one time window per repetition with compile-time blocks and
// overhead rows at every placement (issue 14). Recorded in every run JSON.
inline constexpr int kMethodVersion = 2;

struct RunRequest {
  std::string profile = "default";
  Selection selection;                    // what to run (+ baselines unless opted out)
  std::optional<unsigned> repetitions;    // else the profile's
  std::optional<double> min_time_s;       // else the profile's
  bool probes = true;
  InjectedSlowdown slowdown;
  GbenchFlags gbench;                     // Google Benchmark's own flags
  std::optional<double> budget_s;         // --budget: trim the plan to fit (budget.hpp)
  std::string command_line;               // as the user typed it, for the record

  unsigned repetitions_or_profile() const;
  double min_time_or_profile() const;
  bool interleaved() const;
  // What differs from the named profile (empty object: nothing); a run with any
  // override records profile "custom" and these.
  nlohmann::json overrides() const;
};

struct RunStreams {
  std::FILE* progress = stdout;              // rcbench's progress lines
  std::ostream* gbench_out = nullptr;        // --benchmark_out's content, or null
};

struct RunRecord {
  // The whole run JSON (docs/run-format.md): Google Benchmark's context and benchmarks,
  // made strictly valid (no bare NaN), and the "rcbench" object. Its one writer.
  nlohmann::json document;
  std::size_t errors = 0;  // benchmarks that reported an error
};

// Everything before running: the plan, as the run would execute it (trimmed to the
// budget, if any). Throws std::invalid_argument for bad names, counts and filters, and
// for a budget too small for the calibration and single-thread rows.
SelectedPlan plan_for(const RunRequest&, const topo::Topology&);

// rcbench.budget of the run JSON (docs/run-format.md).
nlohmann::json to_json(const BudgetRecord&);

// rcbench's identity of a plan, for the journal's header: what shapes its rows (each
// row's description, repetitions, min time, interleaving, profile and overrides, probes,
// injected slowdown, counters) as a fingerprint, beside the settings a refusal names.
nlohmann::json plan_identity(const RunRequest&, const SelectedPlan&, const Runtime&);

// Runs the plan and returns the complete run JSON. Throws std::runtime_error if Google
// Benchmark's own JSON does not parse. With a journal session, journals every finished
// benchmark, skips those an earlier session finished and merges their entries, so the
// document is the one an uninterrupted run writes, plus rcbench.resumed.
RunRecord run_plan(const RunRequest&, const SelectedPlan&, const Runtime&, const RunStreams&,
                   const JournalSession* journal = nullptr);

}  // namespace rcbench::harness
