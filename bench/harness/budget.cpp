#include "budget.hpp"

#include "selection.hpp"
#include "workloads/dispatch.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

namespace rcbench::harness {
namespace {

// Besides its windows, a row costs: once, Google Benchmark's setup of the family and the
// reports of its runs; per repetition, Google Benchmark starting threads 1..N-1 anew
// (PITFALLS.md), each pinning itself, all meeting at the rendezvous, thread 0 probing the
// line before and after (a single-thread row with a helper it starts), the joins and the
// counters. Measured on the 2-vCPU KVM guest (Zen 4), release build, --no-counters, with
// a CI build beside it (load average 2.9-3.7 on 2 vCPUs), from rcbench.wall_time_s:
// - per row 1.2 ms and per repetition 0.8 ms: `rcbench run --profile quick --threads 1
//   --filter -pingpong` (11 rows) took 0.163-0.173 s with --repetitions 5 and 0.075 s
//   with 2, of which 0.110 and 0.044 s windows.
// - a repetition with started threads waits 4 ms more for them to reach their PUs: the
//   same with --threads 2 (46 pair rows + 5 single) took 1.70-1.90 s (5 repetitions) and
//   0.66 s (2); a bare start, pin to the other vCPU, barrier and join of one thread took
//   3.8 ms. A loaded machine's figure: an idle one hands the started thread its PU
//   sooner, so budgets there err on the safe side.
// - each started thread 50 us (start, pin, barrier, join, one after another on the main
//   thread): a bare loop of those took 46-54 us per thread for 8 to 128 threads. Not
//   measured with rcbench beyond 2 threads (this machine has 2 PUs): an estimate.
constexpr double kPerRowS = 0.0012;
constexpr double kPerRepetitionS = 0.0008;
constexpr double kStartedThreadsWaitS = 0.0040;
constexpr double kPerStartedThreadS = 0.000050;
// A ping-pong row is not one window per repetition: Google Benchmark probes its
// iteration count (about kProbingRuns more runs and 1.2 more min times) and overshoots
// min time by about 15%.
constexpr double kProbingRuns = 6;
constexpr double kProbingMinTimes = 1.2;
constexpr double kOvershoot = 1.15;

double fixed_per_run(const BenchSpec& s) {
  const unsigned started = s.threads() > 1 ? static_cast<unsigned>(s.threads()) - 1 : 0;
  return kPerRepetitionS + (started > 0 ? kStartedThreadsWaitS + kPerStartedThreadS * started : 0.0);
}

// The primary workloads by their catalog role: no contention (the scaling reference,
// private) and one shared object (the contended line, shared).
bool primary_workload(Workload w) {
  return workloads::with_workload(w, []<template <class> class W>() {
    const workloads::Contention c = W<NullStrategy>::catalog.contention;
    return c == workloads::Contention::none || c == workloads::Contention::one_object;
  });
}

int policy_rank(const BenchSpec& s) {
  if (s.threads() <= 2) return 0;
  return s.placement == "compact" ? 1 : 2;
}

// The group a row is kept or dropped with, and where that group stands in the priority.
struct GroupKey {
  BudgetCategory category;
  int rank;         // pairs, compact, scatter (within extra_workloads; fixed elsewhere)
  int threads;
  std::string id;   // placement x threads x workload, or the cell's name
  auto operator<=>(const GroupKey&) const = default;
};

GroupKey group_of(const BenchSpec& s) {
  const BudgetCategory c = budget_category(s);
  if (c == BudgetCategory::single) return {c, 0, 0, "single"};
  if (c == BudgetCategory::matrix) return {c, 0, 2, s.run_name()};
  std::string what = s.kind == BenchKind::overhead ? "overhead" : fmt::format("{}:{}", to_string(s.workload), s.param);
  return {c, policy_rank(s), s.threads(), fmt::format("{}/{}/{}", s.placement, s.threads(), what)};
}

}  // namespace

std::string_view to_string(BudgetCategory c) {
  switch (c) {
    case BudgetCategory::single: return "single";
    case BudgetCategory::pairs: return "pairs";
    case BudgetCategory::compact: return "compact";
    case BudgetCategory::scatter: return "scatter";
    case BudgetCategory::extra_workloads: return "extra_workloads";
    case BudgetCategory::matrix: return "matrix";
  }
  return "unknown";
}

BudgetCategory budget_category(const BenchSpec& s) {
  if (s.kind == BenchKind::pingpong) return s.matrix_cell ? BudgetCategory::matrix : BudgetCategory::single;
  if (s.threads() <= 1) return BudgetCategory::single;
  if (s.kind == BenchKind::refcount && !primary_workload(s.workload)) return BudgetCategory::extra_workloads;
  if (s.threads() == 2) return BudgetCategory::pairs;
  return policy_rank(s) == 1 ? BudgetCategory::compact : BudgetCategory::scatter;
}

double estimate_row_seconds(const BenchSpec& s, unsigned repetitions, double min_time_s) {
  const double fixed = fixed_per_run(s);
  if (s.kind == BenchKind::pingpong)
    return kPerRowS + (repetitions + kProbingMinTimes) * min_time_s * kOvershoot +
           (repetitions + kProbingRuns) * fixed;
  // A timed row: one window per repetition (Iterations(1)), plus the fixed costs. The
  // window is the body's: min time, or longer for a GIL row with many threads.
  return kPerRowS + repetitions * (row_window_s(s, min_time_s) + fixed);
}

double estimate_seconds(const std::vector<PlannedBenchmark>& plan, unsigned repetitions, double min_time_s) {
  double total = 0;
  for (const auto& pb : plan) total += estimate_row_seconds(pb.spec, repetitions, min_time_s);
  return total;
}

std::size_t BudgetRecord::dropped_count() const {
  std::size_t n = 0;
  for (const auto& d : dropped) n += d.names.size();
  return n;
}

BudgetTrim trim_to_budget(const std::vector<PlannedBenchmark>& rows, unsigned repetitions, double min_time_s,
                          double budget_s) {
  BudgetTrim out;
  BudgetRecord& r = out.record;
  r.budget_s = budget_s;
  r.estimate_before_s = estimate_seconds(rows, repetitions, min_time_s);
  if (r.estimate_before_s <= budget_s) {
    out.kept = rows;
    r.estimate_after_s = r.estimate_before_s;
    return out;
  }

  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < rows.size(); ++i) index.emplace(rows[i].spec.run_name(), i);
  // Groups in priority order; within a key, rows in plan order.
  std::map<GroupKey, std::vector<std::size_t>> groups;
  std::map<GroupKey, std::size_t> first_row;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const GroupKey k = group_of(rows[i].spec);
    groups[k].push_back(i);
    first_row.emplace(k, i);
  }
  std::vector<GroupKey> order;
  for (const auto& [k, _] : groups) order.push_back(k);
  // Same category, rank and thread count: the plan's order (nearest class first, the
  // profile's workload order).
  std::stable_sort(order.begin(), order.end(), [&](const GroupKey& a, const GroupKey& b) {
    return std::tie(a.category, a.rank, a.threads, first_row[a]) < std::tie(b.category, b.rank, b.threads, first_row[b]);
  });

  std::vector<bool> kept(rows.size(), false);
  double spent = 0;
  std::size_t next = 0;
  for (; next < order.size(); ++next) {
    // The group and, transitively, every planned row reading it needs.
    std::vector<std::size_t> add;
    std::vector<bool> queued(rows.size(), false);
    std::vector<std::size_t> work = groups[order[next]];
    while (!work.empty()) {
      const std::size_t i = work.back();
      work.pop_back();
      if (kept[i] || queued[i]) continue;
      queued[i] = true;
      add.push_back(i);
      for (const auto& name : rows_needed_to_read(rows[i])) {
        const auto it = index.find(name);
        if (it != index.end()) work.push_back(it->second);
      }
    }
    double cost = 0;
    for (std::size_t i : add) cost += estimate_row_seconds(rows[i].spec, repetitions, min_time_s);
    if (spent + cost > budget_s) {
      if (order[next].category == BudgetCategory::single)
        throw std::invalid_argument(fmt::format(
            "--budget {:g} s: too small; the calibration and single-thread rows alone need about {:.0f} s "
            "(give at least that, or fewer --repetitions or a shorter --min-time)",
            budget_s, spent + cost));
      break;
    }
    spent += cost;
    for (std::size_t i : add) kept[i] = true;
  }

  for (std::size_t i = 0; i < rows.size(); ++i)
    if (kept[i]) out.kept.push_back(rows[i]);
  std::map<BudgetCategory, std::vector<std::string>> dropped;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!kept[i]) dropped[budget_category(rows[i].spec)].push_back(rows[i].spec.run_name());
  for (auto& [c, names] : dropped) r.dropped.push_back({c, std::move(names)});
  r.estimate_after_s = estimate_seconds(out.kept, repetitions, min_time_s);
  return out;
}

}  // namespace rcbench::harness
