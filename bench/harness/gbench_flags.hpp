// Google Benchmark 1.7.1's own --benchmark_* flags on `rcbench run`, and what each
// means there. rcbench plans, registers and reports the runs itself, so it takes
// over the flags that choose rows, repetitions and outputs (they then behave as a
// Google Benchmark user expects: counts follow the filter, --benchmark_out writes
// Google Benchmark's file beside the run JSON) and hands the rest to Google
// Benchmark. Any other --benchmark_* flag is refused, naming it: a typo must not
// silently run the whole suite.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rcbench::harness {

struct GbenchFlags {
  std::optional<std::string> filter;  // --benchmark_filter (rcbench's selection, + baselines)
  std::optional<unsigned> repetitions;      // --benchmark_repetitions
  std::optional<double> min_time_s;         // --benchmark_min_time (seconds)
  std::optional<bool> interleave;           // --benchmark_enable_random_interleaving
  bool list_tests = false;                  // --benchmark_list_tests: names, then exit
  std::string format;                       // --benchmark_format: "" (rcbench's progress only),
                                            // console, json or csv on stdout
  std::string out;                          // --benchmark_out: Google Benchmark's own file
  std::string out_format = "json";          // --benchmark_out_format
  bool display_aggregates_only = false;     // --benchmark_display_aggregates_only (stdout)
  bool report_aggregates_only = false;      // --benchmark_report_aggregates_only (stdout + out)
  std::optional<bool> color;                // --benchmark_color (console format); none: auto
  bool counters_tabular = false;            // --benchmark_counters_tabular (console format)
  std::vector<std::string> passthrough;     // for benchmark::Initialize: min_warmup_time,
                                            // time_unit, context, perf_counters
};

// Throws std::invalid_argument naming the flag: unknown flags, bad values, and
// --benchmark_x without '=' where a value is required.
GbenchFlags parse_gbench_flags(const std::vector<std::string>& args);

}  // namespace rcbench::harness
