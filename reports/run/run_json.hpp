// Reads a run JSON (docs/run-format.md): Google Benchmark 1.7.1's JSON plus the
// top-level "rcbench" object. Everything downstream (report, compare, gate) reads
// runs through this one loader, so a name or unit is interpreted in one place.
//
// Only per-repetition entries ("run_type": "iteration") are kept, grouped by
// run_name in file order; Google Benchmark's aggregates are ignored because the
// report recomputes every statistic from the repetitions.
#pragma once

#include "run/catalog.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::runjson {

// rcbench.method_version: how the timed loop measured (docs/run-format.md). 1: Google
// Benchmark iterations of a fixed block (runs from before issue 14, which carry no
// method_version); 2: one time window per repetition with a stop flag, overlap and
// thread CPU time recorded. Figures of different methods are not comparable.
inline constexpr int kDefaultMethodVersion = 1;

// A repetition whose threads all ran together for less than this share of its window
// (counter "overlap") was not contended for its whole window: some of its ops ran with
// fewer threads than the row says, so its figures describe a lighter load. 0.99 leaves
// 1% of the window for threads starting and seeing the stop flag at slightly different
// times (microseconds, against a window of milliseconds or more) and nothing more.
inline constexpr double kMinOverlap = 0.99;

// A one-thread repetition whose thread was on its CPU (thread CPU time) for less than
// this share of its window (wall time) lost the rest to something else: the kernel ran
// another task, or the host took the vCPU (steal is not thread CPU time under KVM's
// steal accounting). Its figure is of a disturbed window, not of the row. On the quiet
// 2-vCPU VM, 630 one-thread repetitions read 0.997 to 1.001. Rows of two or more threads
// are not judged by it: a thread that waits for a GIL or a partner is off its CPU by
// design.
inline constexpr double kMinCpuShare = 0.97;

// What the rules above leave out, for captions and footnotes.
std::string left_out_rules();

// Bad input. The message says what is wrong and where (file, JSON pointer, line).
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A benchmark name, parsed. Grammar (docs/run-format.md):
//   refcount/<strategy>/<workload>[/<param>:<value>]*/placement:<p>[/mem:<m>]/real_time/threads:<N>
//   calibration/<what>[/<param>:<value>]*/placement:<p>/real_time/threads:<N>
// mem:<m> (local | remote: the shared object's page on thread 0's or thread 1's NUMA
// node) qualifies the placement, so it comes right after it; rows without it have no
// memory placement of their own.
// Google Benchmark's own suffixes (real_time, threads:N, and min_time:/repeats:/
// iterations:/... which run-time knobs may add) are consumed, not treated as params.
struct BenchmarkName {
  std::string kind;       // "refcount" | "calibration"
  std::string strategy;   // refcount: the strategy; calibration: what ("overhead", "pingpong")
  std::string workload;   // refcount only; empty for calibration
  std::map<std::string, std::string> params;  // e.g. "pad" -> "64", "shared_pct" -> "10"
  std::string placement;  // "l3", "single", "compact", ...
  std::string mem;        // "local" | "remote" (mem:<m>); "" when the name has none
  int threads = 1;        // 1 when Google Benchmark appended no threads:N

  static BenchmarkName parse(std::string_view run_name);  // throws InputError on junk

  // Identifies (kind, workload, params, placement, mem, threads) with the strategy left
  // out: two rows with equal keys are measured under the same conditions, which is
  // how a row finds its GIL baseline. Example: "refcount/mixed/shared_pct:10/placement:l3/threads:2".
  std::string without_strategy() const;

  // The canonical name without Google Benchmark's real_time suffix.
  std::string to_string() const;

  // "/mem:<m>", or "" when the name has no memory placement.
  std::string mem_segment() const;
};

struct Repetition {
  int index = 0;              // Google Benchmark's repetition_index
  double real_time_ns = 0;    // real_time converted from time_unit to ns
  long long iterations = 0;   // total over threads
  // Every numeric field of the entry that is not one of Google Benchmark's own
  // (ops, ns_per_op_thread, papi:..., t0_pu, ...). A null (NaN/inf in the raw file)
  // makes the counter absent: no invented numbers.
  std::map<std::string, double> counters;

  bool has(std::string_view counter) const;

  // Why this repetition's figures are left out of every statistic (report medians,
  // compare's samples), or "" when they count: overlap < kMinOverlap, or, for a row of
  // `threads` == 1, thread CPU time < kMinCpuShare of the window.
  std::string left_out_reason(int threads) const;
};

struct Benchmark {
  std::string run_name;
  BenchmarkName name;
  nlohmann::json meta;                // the matching rcbench.benchmarks[] entry, or null
  std::vector<Repetition> reps;       // repetitions that completed, in file order
  std::vector<std::string> errors;    // error_message of repetitions that failed (skipped)

  // One value per repetition, skipping repetitions that lack the counter.
  std::vector<double> values(std::string_view counter) const;
  std::vector<double> real_times_ns() const;
};

struct Run {
  std::string source;                 // file name (or label) for messages
  nlohmann::json context;             // Google Benchmark's "context"
  nlohmann::json rcbench;             // the "rcbench" object (null: a raw GB file, RcbenchSection::optional)
  std::vector<Benchmark> benchmarks;  // file order of first appearance
  int method_version = kDefaultMethodVersion;  // rcbench.method_version (absent: 1)
  // rcbench.catalog; for a run written before catalogs, the reading build's
  // (catalog.source() says which; set_build_catalog).
  Catalog catalog;

  const Benchmark* find(std::string_view run_name) const;  // nullptr when absent
  // The reference op's row (the catalog's `reference` strategy, plain) on the uncontended
  // workload, one thread, no params; placement single when the run has it. What the
  // report's ratio_to_plain_single and compare's anchor are taken against; "" for none.
  std::string reference_row() const;
};

inline constexpr int kKnownFormatVersion = 1;


// Whether a file without the "rcbench" object is refused. report and compare need it
// (GIL baselines, machine, environment), so required is the default; reading Google
// Benchmark's own output (its NaN tokens, its fields) is the one use of optional.
enum class RcbenchSection { required, optional };

// Throws InputError for anything it cannot read honestly, naming the field by JSON
// pointer and the reason: unreadable file, not JSON (or a number beyond a double, or
// absurd nesting), a field of the wrong type, a time that is not finite and > 0, an
// unknown time_unit, iterations < 1, no repetition entry at all, the "rcbench" object
// missing (when required) or of an unknown format_version, and one (run_name,
// repetition_index) given twice (a copied entry would count twice as a sample).
Run load_run(const std::filesystem::path& path, RcbenchSection rcbench = RcbenchSection::required);
Run parse_run(std::string_view text, std::string_view source_name,
              RcbenchSection rcbench = RcbenchSection::required);

// Replaces the bare non-finite tokens Google Benchmark writes (NaN, -NaN, Infinity,
// -Infinity, and nan/inf spellings) that appear outside strings with null, so a raw
// GB file parses as strict JSON. Text inside strings is left alone.
std::string sanitize_non_finite(std::string_view text);

}  // namespace rcbench::runjson
