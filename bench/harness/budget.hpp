// `rcbench run --budget`: a plan trimmed to fit a time budget. Rows are kept in a stated
// priority, whole groups at a time, until the next group would not fit; everything after
// it is dropped, so a kept row never has a more important row dropped before it:
//
//   1. single: calibration (overhead and ping-pong pair rows of one pair per class) and
//      every single-thread row (the reference, the gate's rows, the foreign rows);
//   2. pairs: two threads, one pair per placement class, primary workloads;
//   3. compact, 4. scatter: the thread doublings (4, 8, ... all), primary workloads,
//      fewest threads first;
//   5. extra_workloads: the other workloads, in the order pairs, compact, scatter;
//   6. matrix: the sampled ping-pong matrix cells (dropped first).
//
// The primary workloads are those whose catalog contention is none (`private`, the
// scaling reference) or one_object (`shared`, the
// contended line); false sharing, handoff and mixed are the extra ones. A group is one
// placement x thread count x workload (all its strategies, and both memory placements of
// a pair on two nodes); a matrix cell is its own group. Whatever a kept row needs to be
// read (its GIL baselines, its placement's overhead row: rows_needed_to_read, as for
// --filter) is kept with it and counted in its cost.
#pragma once

#include "plan.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rcbench::harness {

enum class BudgetCategory { single, pairs, compact, scatter, extra_workloads, matrix };
inline constexpr BudgetCategory kBudgetCategories[] = {
    BudgetCategory::single,  BudgetCategory::pairs,           BudgetCategory::compact,
    BudgetCategory::scatter, BudgetCategory::extra_workloads, BudgetCategory::matrix};
std::string_view to_string(BudgetCategory);
BudgetCategory budget_category(const BenchSpec&);

// What a trim did, for the listing, the header and the run JSON (rcbench.budget).
struct BudgetRecord {
  double budget_s = 0;
  double estimate_before_s = 0;
  double estimate_after_s = 0;
  struct Dropped {
    BudgetCategory category;
    std::vector<std::string> names;  // run names, in plan order
  };
  std::vector<Dropped> dropped;  // only categories that lost rows, in priority order
  bool trimmed() const { return !dropped.empty(); }
  std::size_t dropped_count() const;
};

struct BudgetTrim {
  std::vector<PlannedBenchmark> kept;  // in plan order
  BudgetRecord record;
};

// Seconds one row is expected to take, and a plan (printed before starting). A timed
// row's window is row_window_s (plan.hpp): GIL rows with many threads run longer.
double estimate_row_seconds(const BenchSpec&, unsigned repetitions, double min_time_s);
double estimate_seconds(const std::vector<PlannedBenchmark>&, unsigned repetitions, double min_time_s);

// Trims `rows` (a selected plan) to fit `budget_s` by estimate_seconds. A plan that fits
// comes back unchanged. Throws std::invalid_argument ("--budget ...: the calibration and
// single-thread rows alone need about N s") when even category 1 does not fit.
BudgetTrim trim_to_budget(const std::vector<PlannedBenchmark>& rows, unsigned repetitions, double min_time_s,
                          double budget_s);

}  // namespace rcbench::harness
