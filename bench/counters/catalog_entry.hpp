// What a strategy says about itself to everything that reads a run: its place in
// tables, its display name, and the part it plays in the analysis (a baseline other
// rows are judged against, the reference op, a headline figure). Each strategy
// declares `static constexpr StrategyEntry catalog` beside its code; the harness
// writes the entries of the run's strategies into the run JSON (rcbench.catalog), and
// report, compare, plots and the results index read them from there, so that no
// strategy name is spelled above bench/ (docs/run-format.md, "catalog").
#pragma once

#include <string_view>

namespace rcbench::counters {

// Which baseline field of every other row names this strategy's row with the same
// workload, placement and threads (rcbench.benchmarks[]: baseline, baseline_lock,
// baseline_real), spelled in the run JSON "gil", "lock", "real".
enum class BaselineRole { none, gil, gil_lock, real };

// What the results index shows in its headline columns: `rmw`, the one-instruction
// atomic read-modify-write; `owner_biased`, the count with an owner fast path.
enum class HeadlineRole { none, rmw, owner_biased };

struct StrategyEntry {
  std::string_view display;  // a table's label: what the op is, in a few words
  int order;                 // tables sort by it; baselines last
  std::string_view summary;  // one sentence for the help text and the report
  BaselineRole baseline = BaselineRole::none;
  // The uncontended op every row's ratio_to_plain_single is taken against: CPython's
  // Py_INCREF with the GIL held (one thread, private objects).
  bool reference = false;
  HeadlineRole headline = HeadlineRole::none;
  bool real_interpreter = false;  // CPython itself (bench/cpython), not a model
};

// The run JSON's spelling of each role (null for none).
constexpr std::string_view to_string(BaselineRole r) {
  switch (r) {
    case BaselineRole::gil: return "gil";
    case BaselineRole::gil_lock: return "lock";
    case BaselineRole::real: return "real";
    case BaselineRole::none: break;
  }
  return {};
}
constexpr std::string_view to_string(HeadlineRole r) {
  switch (r) {
    case HeadlineRole::rmw: return "rmw";
    case HeadlineRole::owner_biased: return "owner_biased";
    case HeadlineRole::none: break;
  }
  return {};
}

}  // namespace rcbench::counters
