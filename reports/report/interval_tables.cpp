// The interval tables: every row's headline figures as median [p10, p90] with units in
// the header, and its ratios, one table per placement and thread count (the cost tables'
// grouping), rows in the catalog's strategy and workload order.
#include "report/format.hpp"
#include "report/labels.hpp"
#include "report/tables.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace rcbench::report {
namespace {

namespace f = format;

std::string interval(const std::optional<Figure>& fig) {
  if (!fig || fig->summary.n == 0) return "—";
  const stats::Summary& s = fig->summary;
  return fmt::format("{} [{}, {}]", f::sig(s.median), f::sig(s.p10), f::sig(s.p90));
}

std::string ratio_cell(const std::optional<double>& ratio, const std::string& basis) {
  return ratio ? fmt::format("{} ({})", f::ratio(*ratio), basis) : "—";
}

}  // namespace

std::vector<Table> interval_tables(const Report& report) {
  std::vector<std::pair<std::string, int>> groups;
  for (const Record& r : report.records)
    if (std::find(groups.begin(), groups.end(), std::pair{r.name.placement, r.name.threads}) == groups.end())
      groups.emplace_back(r.name.placement, r.name.threads);
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.second < b.second; });

  const std::string gil = report.catalog.baseline_strategy("gil").empty() ? "GIL" : report.catalog.baseline_strategy("gil");
  std::vector<Table> out;
  for (const auto& [placement, threads] : groups) {
    std::vector<const Record*> rows;
    for (const Record& r : report.records)
      if (r.name.placement == placement && r.name.threads == threads) rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(), [&](const Record* a, const Record* b) {
      const auto ka = std::pair{report.catalog.strategy_order(a->name.strategy), report.catalog.workload_order(a->name.workload)};
      const auto kb = std::pair{report.catalog.strategy_order(b->name.strategy), report.catalog.workload_order(b->name.workload)};
      return ka < kb;
    });
    Table t{detail::placement_text(*rows.front()) + ": raw figures, median [p10, p90] over the repetitions used",
            {"strategy", "workload", "ns/op per thread, median [p10, p90]",
             "ns/op total (all threads), median [p10, p90]", fmt::format("× {} (total ns/op)", gil),
             "× plain, 1 thread (ns/op per thread)", "reps used"},
            {},
            ""};
    for (const Record* r : rows) {
      t.rows.push_back({r->name.strategy + detail::marker_text(*r), detail::workload_text(*r),
                        interval(r->ns_per_op_thread), interval(r->ns_per_op_total),
                        ratio_cell(r->ratio_to_gil, r->ratio_to_gil_basis),
                        ratio_cell(r->ratio_to_plain_single, r->ratio_to_plain_single_basis),
                        fmt::format("{} of {}", r->reps_used.size(), r->reps_total)});
      t.shade.push_back({std::nullopt, std::nullopt, std::nullopt, std::nullopt, r->ratio_to_gil, r->ratio_to_plain_single});
    }
    t.shade_meaning = fmt::format("the row's ratio to its {} baseline (total ns/op) or to plain private on one "
                                  "thread (ns/op per thread)", gil);
    t.note = detail::marker_text_legend(rows);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace rcbench::report
