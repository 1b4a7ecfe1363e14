// What the gate compares and how strictly: config/gate.json, read once per compare.
// The command line may override the scalar settings (mode, statistic, alpha, ...).
#pragma once

#include "run/run_json.hpp"
#include "stats/modes.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::compare {

// Bad configuration or bad input: the command exits 2. One type for every reader of
// run files and their configuration (the run library's), so a caller catches one.
using InputError = runjson::InputError;

enum class Mode {
  normalized,  // each row divided by its in-run normalizer (GIL baseline): the CI default
  absolute,    // ns per op as measured: for a quiet lab machine compared with itself
};
enum class Statistic { median, min };

std::string_view to_string(Mode m);
std::string_view to_string(Statistic s);
Mode parse_mode(std::string_view text);            // throws InputError
Statistic parse_statistic(std::string_view text);  // throws InputError

// A row whose run_name matches `pattern` (ECMAScript regex, whole name) gets this
// threshold; the first matching rule wins.
struct ThresholdRule {
  std::string pattern;
  std::regex regex;
  double threshold_pct = 0;  // a regression must be at least this much slower, percent
  bool gated = true;         // false: shown in the table, never affects the verdict
  // Compare within one coherence mode? Unset: GateConfig::use_modes decides. Measured on
  // the 2-vCPU VM, single-thread ratios to the GIL baseline do not depend on the mode
  // (medians within 1% over 96 runs in two modes), so the shipped config turns modes
  // off for them and keeps them for rows with two or more threads.
  std::optional<bool> use_modes;
};

// A run disturbed beyond any of these is "inconclusive", whatever its numbers say.
struct EnvironmentLimits {
  double max_steal_fraction = 0.05;         // steal ticks / all CPU ticks during the run
  double max_loadavg_per_pu = 1.5;          // 1-minute load average / PUs, start or end
  double max_migrated_rep_fraction = 0.10;  // repetitions in which a pinned thread moved
};

struct GateConfig {
  std::string source = "built-in defaults";
  Mode mode = Mode::normalized;
  Statistic statistic = Statistic::median;
  std::string counter = "ns_per_op_thread";  // per-repetition counter compared
  double alpha = 0.05;                       // significance level of the U test
  int min_reps = 9;                          // per side, within the compared mode
  bool use_modes = true;                     // compare repetitions of the same mode only
                                             // (false, as --no-modes sets it: for every row)
  double default_threshold_pct = 10;         // when no rule matches
  std::vector<ThresholdRule> rules;
  // Normalizer of rows that have no "baseline" in the run (the GIL rows themselves).
  // The anchor row itself cannot be normalized: it is shown, not judged, in
  // normalized mode. Empty: the base run's reference op (its catalog's `reference`
  // strategy) on the uncontended workload, one thread, placement single.
  std::string anchor;
  int min_normalizer_reps = 3;  // normalizer repetitions needed in the compared mode
  EnvironmentLimits environment;
  stats::ModeOptions modes;

  // The rule for a row, or nullptr (then default_threshold_pct applies, gated).
  const ThresholdRule* rule_for(std::string_view run_name) const;
  double threshold_pct_for(std::string_view run_name) const;
  bool gated(std::string_view run_name) const;
  bool use_modes_for(std::string_view run_name) const;  // use_modes and the row's rule
};

// Unknown keys are errors: a misspelled threshold must not be silently ignored.
GateConfig parse_gate_config(const nlohmann::json& doc, std::string_view source);
GateConfig load_gate_config(const std::filesystem::path& path);

}  // namespace rcbench::compare
