// Compares two runs row by row and returns a gate verdict. Computing the difference is
// kept apart from rendering it (render.hpp), as Google Benchmark's compare.py keeps
// get_difference_report apart from print_difference_report.
//
// Per row (benchmark run_name):
//   1. Values per repetition: the config's counter (ns per op, per thread by default).
//      Repetitions in which a pinned thread migrated are dropped, and so are those the
//      run flags (runjson::left_out_rules: overlap, or a one-thread window off the CPU).
//   0. Runs of different method versions (rcbench.method_version) are refused: InputError.
//      Normalized mode divides each value by the chosen statistic of the row's
//      normalizer measured in the same run (and same mode): its GIL baseline, or the
//      anchor row for the GIL rows themselves. A slower or busier machine moves both
//      and cancels out; a slower counter does not.
//   2. Modes: the probes of both runs are clustered together (stats/modes.hpp), so a
//      mode id means the same latency in both. Only repetitions of one shared mode are
//      compared: the mode with the most repetitions on the thinner side among those
//      with at least min_reps on each side. None: inconclusive, not fail.
//   3. Mann-Whitney U (two-sided) over the repetitions, and the change of the chosen
//      statistic. Regression = p < alpha AND slower by more than the row's threshold.
// Verdict: disturbed environment -> inconclusive; else any regression -> regression;
// else any inconclusive row or benchmark missing in the candidate -> inconclusive;
// else pass. Benchmarks new in the candidate are reported and do not change it.
#pragma once

#include "compare/environment.hpp"
#include "compare/gate_config.hpp"
#include "run/run_json.hpp"
#include "stats/modes.hpp"

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::compare {

enum class RowStatus {
  same,                  // no significant change beyond the threshold
  regression,            // significantly slower by more than the threshold
  improvement,           // significantly faster by more than the threshold
  inconclusive,          // too few repetitions, no shared mode, normalizer missing, ...
  missing_in_candidate,  // measured in the base, absent from the candidate
  new_in_candidate,      // absent from the base: nothing to compare with
  reference,             // normalized mode: the anchor every GIL row is divided by
  not_gated,             // a rule says show, do not judge (status of the numbers in reason)
};
enum class Verdict { pass, regression, inconclusive };

std::string_view to_string(RowStatus s);
std::string_view to_string(Verdict v);
int exit_code_of(Verdict v);  // 0 pass, 1 regression, 3 inconclusive

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct RowResult {
  std::string name;        // run_name
  RowStatus status = RowStatus::inconclusive;
  std::string reason;      // why inconclusive / missing / not judged; empty otherwise
  std::string normalizer;  // normalized mode: the run_name each value was divided by
  int mode = -1;           // compared mode id; -1: all repetitions (modes off or no probes)
  std::size_t n_base = 0, n_candidate = 0;  // repetitions compared
  // Repetitions left out because the run flags them (runjson::Repetition::left_out_reason).
  std::size_t left_out_base = 0, left_out_candidate = 0;
  double base = kNaN;       // chosen statistic, base side (ns/op, or a ratio in normalized mode)
  double candidate = kNaN;  // chosen statistic, candidate side
  double change_pct = kNaN; // (candidate / base - 1) * 100; > 0 is slower for ns counters
  double p_value = kNaN;    // Mann-Whitney U, two-sided
  double threshold_pct = 0;
};

struct SideInfo {  // several runs on a side: names joined, environment worst/summed
  std::string source;        // file name
  std::string git_revision;  // rcbench.build.git_revision, "" if absent
  std::string profile;       // rcbench.profile
  nlohmann::json injected_slowdown;  // rcbench.injected_slowdown (test-only), or null
  EnvironmentCheck environment;
};

struct ModeUse {
  stats::Mode mode;  // reps: stable repetitions over both runs
  std::size_t reps_base = 0, reps_candidate = 0;
};

struct CompareResult {
  GateConfig config;  // as used (command-line overrides applied)
  bool higher_is_better = false;  // the counter is a rate (ops/s): regressions go down
  SideInfo base, candidate;
  std::vector<ModeUse> modes;  // empty when modes are off or no run has probes
  std::vector<RowResult> rows; // base order, then rows new in the candidate
  Verdict verdict = Verdict::pass;
  std::vector<std::string> reasons;  // one line each: why the verdict is what it is
};

CompareResult compare_runs(const runjson::Run& base, const runjson::Run& candidate, const GateConfig& config);

// Each side several runs of one binary (the CI gate alternates A and B runs so that a
// drift of the machine hits both). A row's repetitions are pooled over the runs of its
// side; in normalized mode each is divided by its own run's normalizer first.
CompareResult compare_runs(std::span<const runjson::Run> base, std::span<const runjson::Run> candidate,
                           const GateConfig& config);

// Loads a run JSON for comparison. A report JSON (rcbench report, "schema_version")
// is recognized and refused with a message naming what to pass instead; a run without
// its "rcbench" object is refused (runjson::RcbenchSection::required).
// Throws InputError (exit 2) for anything unreadable or malformed.
runjson::Run load_compare_input(const std::filesystem::path& path);
// The same on text already read (source names it in messages).
runjson::Run parse_compare_input(std::string_view text, std::string_view source);

}  // namespace rcbench::compare
