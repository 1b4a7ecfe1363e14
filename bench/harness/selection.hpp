// What a subset of the suite runs. A user who picks strategies, workloads, thread
// counts or a name filter gets those rows *and* what reading them needs: each row's
// GIL baselines (report divides by them) and the single-thread `plain` row (compare
// normalises the GIL rows by it), unless they opt out. Each planned row says why it
// is there (its Role), so the header, --list and the run JSON can say so too.
#pragma once

#include "budget.hpp"
#include "plan.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::topo { class Topology; }

namespace rcbench::harness {

struct Selection {
  PlanOverrides overrides;        // strategies, workloads, thread counts (empty: profile's)
  std::string filter;             // Google Benchmark's --benchmark_filter syntax; empty: all
  bool add_baselines = true;      // false: --no-baselines
};

struct SelectedPlan {
  std::vector<PlannedBenchmark> rows;  // in the order they are registered
  std::vector<std::string> warnings;   // e.g. a workload the allowed PUs cannot host
  std::optional<BudgetRecord> budget;  // --budget: what trimming to it dropped
  std::size_t count(Role) const;
};

// Throws std::invalid_argument for bad names, counts or a bad filter regex.
SelectedPlan select_plan(const Profile&, const topo::Topology&, const Selection&);

// The rows reading `pb` needs beside it (run names; some may not be planned): a refcount
// row's gil_cpython, gil_lock and real interpreter baselines and the overhead row of its
// placement. Calibration rows need none. What a subset (--filter, --strategies) and a
// trimmed plan (--budget) keep with every row they keep.
std::vector<std::string> rows_needed_to_read(const PlannedBenchmark& pb);

// Google Benchmark 1.7.1's filter: empty or "all" matches everything, a leading '-'
// negates, the rest is a POSIX extended regex searched in the name.
class NameFilter {
 public:
  explicit NameFilter(const std::string& spec);  // throws std::invalid_argument
  bool matches(const std::string& name) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace rcbench::harness
