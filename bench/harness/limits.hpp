// The numbers `rcbench run` accepts, checked in one place for its own flags and for
// Google Benchmark's equivalents (--repetitions and --benchmark_repetitions must
// agree on what is allowed). A bad number is a usage error naming the flag and the
// range, never a run that loops forever or writes a meaningless result.
#pragma once

#include <string_view>

namespace rcbench::harness::limits {

// Repetitions are kept in memory and each one is a row of the run JSON; beyond this
// a run is a typo, not an experiment.
inline constexpr unsigned kMaxRepetitions = 10000;
// Seconds per repetition: positive (Google Benchmark needs a target), and an hour per
// repetition is already far past any profile.
inline constexpr double kMaxMinTimeS = 3600;
// gil_cpython's switch interval in µs: CPython needs a positive one; beyond a second
// the GIL never changes hands inside a repetition.
inline constexpr unsigned kMaxSwitchIntervalUs = 1'000'000;
// Threads per benchmark: Google Benchmark counts them in an int; the plan then checks
// them against the PUs this process may use.
inline constexpr unsigned kMaxThreads = 65536;

// --budget: a week is already past any profile on any machine.
inline constexpr double kMaxBudgetS = 7 * 24 * 3600;

// An integer in [lo, hi]. Throws std::invalid_argument: "--flag 'text': expected an
// integer in lo..hi".
unsigned parse_count(std::string_view flag, std::string_view text, unsigned lo, unsigned hi);
// A finite number of seconds in (0, hi] (or [0, hi] when zero_ok). Throws
// std::invalid_argument naming the flag and the range.
double parse_seconds(std::string_view flag, std::string_view text, double hi, bool zero_ok = false);
// A duration in seconds, more than 0 and at most hi: "90s", "20m", "1h", "1h30m", "1.5h",
// or a bare number of seconds. Throws std::invalid_argument naming the flag and the reason.
double parse_duration(std::string_view flag, std::string_view text, double hi);

}  // namespace rcbench::harness::limits
