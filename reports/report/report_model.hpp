// The report: what one run measured, summarized over repetitions, with every figure's
// unit and scope and its ratio to the GIL baseline. build_report() computes it from a
// Run; to_json() writes it as report.json (docs/schemas/report.schema.json); the
// tables and the HTML page render from it.
#pragma once

#include "run/run_json.hpp"
#include "stats/descriptive.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::report {

inline constexpr int kSchemaVersion = 2;

// A summary over repetitions, labelled with what it is.
struct Figure {
  stats::Summary summary;
  std::string unit;   // "ns/op", "ops/s", "updates/op", "events/op", "ratio"
  std::string scope;  // "per thread", "total", "per op", ...
};

// A latency mode seen by this benchmark's coherence probes (reports/stats/modes.hpp).
struct RecordMode {
  int id = 0;                // shared with every benchmark on the same PUs (pooled)
  double center_ns = 0, lo_ns = 0, hi_ns = 0;  // one-way probe latency, ns
  std::vector<int> reps;     // repetition indexes that ran in this mode
  std::optional<Figure> ns_per_op_thread;      // over those repetitions
};

struct RecordModes {
  std::vector<RecordMode> modes;  // only modes this benchmark's repetitions ran in
  int dominant_mode = -1;         // -1: no repetition had usable probes
  std::vector<int> unstable_reps; // before/after probes in different modes
  std::vector<int> unprobed_reps; // a probe missing or not positive
};

struct EventCount {
  double total = 0;       // summed over the repetitions (each total over threads)
  double max_per_rep = 0;
  std::size_t reps = 0;   // repetitions that reported it
};

struct ThreadFigure {
  int thread = 0;
  std::optional<int> pu;  // verified PU (t<i>_pu), when constant over repetitions
  Figure ns_per_op;       // that thread alone
};

// A repetition left out of the row's statistics, and why (runjson::Repetition::left_out_reason).
struct LeftOut {
  int rep = 0;          // repetition index
  std::string reason;   // "overlap 0.98 < 0.99: not contended for its whole window"
};

// The harness's null row for a refcount row (calibration/overhead, the null strategy
// through the identical timed block) and the figures corrected by it:
// X_corrected = median(X) - median(null row's X). Absent null row: raw figures only.
struct Correction {
  std::string null_row;    // run_name of the overhead row; "" when none
  std::string matched_on;  // "threads and placement" | "threads"
  std::string note;        // why there is no correction ("" when there is)
  // The null row's figures (its repetitions, flagged ones left out): median and spread.
  std::optional<Figure> null_ns_per_op_thread, null_ns_per_op_total, null_cpu_ns_per_op_thread;
  std::optional<double> ns_per_op_thread, ns_per_op_total, cpu_ns_per_op_thread;  // corrected medians

  bool applied() const { return !null_row.empty(); }
};

struct Record {
  std::string run_name;
  runjson::BenchmarkName name;
  std::string placement_class;  // from the run's metadata; "" when unknown
  std::vector<int> pus;
  std::string baseline;         // run_name of the gil_cpython row ("" for none)
  std::string baseline_lock;    // run_name of the gil_lock row ("" for none)
  // run_name of the real interpreter's eval row (the catalog's "real" baseline) with the same
  // conditions: the row itself for that row, "" when the run has none (optional rows).
  std::string baseline_real;

  std::size_t reps_total = 0;   // completed repetitions
  std::size_t reps_failed = 0;  // repetitions Google Benchmark reported as errors
  std::vector<int> reps_used;   // repetition indexes the main figures come from
  std::vector<LeftOut> reps_left_out;  // flagged repetitions, not in any figure
  std::string figures_from;     // "all 9 reps" / "dominant mode 1 (7 of 9 reps)" / "no figure: ..."

  std::optional<Figure> ns_per_op_thread, ns_per_op_total, ops_per_s_total;  // raw
  std::optional<Figure> cpu_ns_per_op_thread;  // raw, thread CPU time (method 2)
  Correction correction;
  // Ratios use corrected figures on both sides when both rows have them and they are
  // > 0, raw figures on both sides otherwise; ratio_basis says which ("corrected"/"raw").
  std::optional<double> ratio_to_gil;          // median ns_per_op_total / baseline's
  std::optional<double> ratio_to_gil_lock;     // the same against gil_lock
  // The same against the real interpreter's eval row; on the gil_cpython row: model / real.
  std::optional<double> ratio_to_real;
  std::optional<double> ratio_to_plain_single; // median ns_per_op_thread / plain private single-thread's
  std::string ratio_to_gil_basis, ratio_to_gil_lock_basis, ratio_to_real_basis,
      ratio_to_plain_single_basis;  // "" when no ratio
  std::optional<Figure> lost_updates_per_increment;  // method 2: exact, increment-only pass
  std::optional<Figure> premature_last_per_op;       // method 2: checked pass
  std::optional<Figure> drift_per_op;  // method 1's lost_updates_per_op: a random-walk drift, not a count
  std::optional<Figure> fairness_spread;
  std::map<std::string, Figure> papi_per_op;   // key: event name without "papi:"
  std::optional<EventCount> migrations, ctx_switches;
  std::vector<ThreadFigure> per_thread;
  std::optional<RecordModes> modes;
  std::vector<std::string> flags;

  bool has_flag(std::string_view flag) const;
  // The rows the others are read against: their baseline is themselves.
  bool is_gil_baseline() const { return !baseline.empty() && baseline == run_name; }
  bool is_real_baseline() const { return !baseline_real.empty() && baseline_real == run_name; }
};

struct OverheadRow {
  std::string run_name;
  std::string placement;
  int threads = 1;
  Figure ns_per_op;  // the harness's cost of an op that does nothing, per thread
  std::optional<Figure> ns_per_op_total, cpu_ns_per_op_thread;
  std::vector<LeftOut> reps_left_out;
};

struct PingPongRow {
  std::string method;  // "two_line" (c2clat), "one_line_cas", or "two_line" for method 1's "pingpong"
  std::string pair;    // matrix cell "A-B" (pair:A-B), "" for a placement's representative pair
  std::string placement, placement_class;
  std::vector<int> pus;
  Figure one_way_ns;  // min over samples per repetition; summarized over repetitions
};

struct Calibration {
  std::vector<OverheadRow> overhead;
  std::vector<PingPongRow> pingpong;
  nlohmann::json matrix;  // rcbench.calibration.pingpong_matrix, or null
};

// Modes of one group of benchmarks that probe the same PUs, over multi-thread rows.
struct ModeGroup {
  std::string placement;
  std::vector<int> pus;
  struct Seen {
    int id = 0;
    double center_ns = 0, lo_ns = 0, hi_ns = 0;
    std::size_t reps = 0;
  };
  std::vector<Seen> modes;
  std::size_t benchmarks = 0, reps = 0, unstable_reps = 0, unprobed_reps = 0;
};

struct Thresholds {
  // A spread above this makes a figure "high_variance". 10%: on these machines an
  // A/A rerun moves a single-thread median by up to 20% (PITFALLS.md), so a row whose
  // own repetitions disagree by more than a tenth cannot carry differences of that size.
  double high_variance_cv = 0.10;
};

struct Report {
  std::string source;  // the run file
  int method_version = runjson::kDefaultMethodVersion;
  nlohmann::json machine, build, run, perf, environment;
  nlohmann::json cpython;  // rcbench.cpython as the run recorded it; null for runs without it
  runjson::Catalog catalog;  // the run's (or, for a run without one, this build's): names, order, roles
  Calibration calibration;
  std::vector<ModeGroup> modes_seen;
  std::vector<Record> records;
  std::vector<std::string> caveats;  // sentences for the reader
  Thresholds thresholds;

  const Record* find(std::string_view run_name) const;
};

// Throws runjson::InputError when the run cannot be reported honestly: a refcount row
// without its gil_cpython baseline (unless the run says --no-baselines: then such rows
// carry no ratio and a caveat says why), or a baseline named in the metadata that is absent.
Report build_report(const runjson::Run& run, const Thresholds& thresholds = {});

nlohmann::json to_json(const Report& report);

}  // namespace rcbench::report
