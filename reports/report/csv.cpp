// tables.csv: one row per record, every numeric field its own column, full precision
// (shortest round-trip form). Missing values are empty cells, never 0 or NaN.
// Hand-written: RFC 4180 quoting is ten lines and Debian ships no C++ CSV writer we use.
#include "report/figures.hpp"
#include "report/tables.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

namespace rcbench::report {
namespace {

std::string quote(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string num(double v) { return fmt::format("{}", v); }
std::string num(const std::optional<double>& v) { return v ? num(*v) : ""; }

constexpr const char* kSummaryFields[] = {"median", "min", "p10", "p90", "cv", "n"};

void add_figure(std::vector<std::string>& row, const std::optional<Figure>& fig) {
  if (!fig) {
    row.insert(row.end(), std::size(kSummaryFields), "");
    return;
  }
  const stats::Summary& s = fig->summary;
  for (double v : {s.median, s.min, s.p10, s.p90, s.cv}) row.push_back(num(v));
  row.push_back(std::to_string(s.n));
}

}  // namespace

std::string render_csv(const Report& report) {
  std::set<std::string> events;
  for (const Record& r : report.records)
    for (const auto& [e, fig] : r.papi_per_op) events.insert(e);
  // The real interpreter's rows are optional: their columns only where the run has them.
  const bool real = std::any_of(report.records.begin(), report.records.end(),
                                [](const Record& r) { return !r.baseline_real.empty(); });

  // The shared object's memory placement (mem:<m>): a column only where the run has such rows.
  const bool mem = std::any_of(report.records.begin(), report.records.end(),
                               [](const Record& r) { return !r.name.mem.empty(); });

  std::vector<std::string> header = {"run_name", "strategy", "workload", "params", "placement", "placement_class",
                                     "pus", "threads", "reps_total", "reps_used", "reps_failed", "figures_from"};
  if (mem) header.insert(header.begin() + 5, "mem");
  header.push_back("reps_left_out");
  // Each ns figure: its corrected median first, the raw summary right after it.
  for (const char* fig : {"ns_per_op_thread", "ns_per_op_total", "cpu_ns_per_op_thread"}) {
    header.push_back(fmt::format("{}_corrected", fig));
    for (const char* field : kSummaryFields) header.push_back(fmt::format("{}_{}", fig, field));
  }
  for (const char* field : kSummaryFields) header.push_back(fmt::format("ops_per_s_total_{}", field));
  for (const char* col : {"correction_null_row", "correction_null_ns_per_op_thread_median",
                          "correction_null_ns_per_op_thread_p10", "correction_null_ns_per_op_thread_p90",
                          "correction_note"})
    header.push_back(col);
  for (const char* col : {"ratio_to_gil", "ratio_to_gil_lock", "ratio_to_plain_single", "ratio_to_gil_basis"})
    header.push_back(col);
  if (real)
    for (const char* col : {"baseline_real", "ratio_to_real", "ratio_to_real_basis"}) header.push_back(col);
  for (const char* col : {"lost_updates_per_increment_median", "premature_last_per_op_median",
                          "drift_per_op_method1_median", "fairness_spread_median", "migrations_total", "ctx_switches_total", "dominant_mode",
                          "dominant_mode_center_ns", "unstable_reps"})
    header.push_back(col);
  for (const std::string& e : events) header.push_back("papi_" + e + "_per_op_median");
  header.push_back("flags");

  std::string out;
  const auto emit = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      out += quote(row[i]);
    }
    out += "\n";
  };
  emit(header);
  for (const Record& r : report.records) {
    std::string params, flags;
    for (const auto& [k, v] : r.name.params) params += fmt::format("{}{}={}", params.empty() ? "" : ";", k, v);
    for (const std::string& f : r.flags) flags += fmt::format("{}{}", flags.empty() ? "" : ";", f);
    std::vector<std::string> row = {r.run_name, r.name.strategy, r.name.workload, params, r.name.placement,
                                    r.placement_class, detail::pu_list(r.pus), std::to_string(r.name.threads),
                                    std::to_string(r.reps_total), std::to_string(r.reps_used.size()),
                                    std::to_string(r.reps_failed), r.figures_from};
    if (mem) row.insert(row.begin() + 5, r.name.mem);
    row.push_back(std::to_string(r.reps_left_out.size()));
    const Correction& c = r.correction;
    row.push_back(num(c.ns_per_op_thread));
    add_figure(row, r.ns_per_op_thread);
    row.push_back(num(c.ns_per_op_total));
    add_figure(row, r.ns_per_op_total);
    row.push_back(num(c.cpu_ns_per_op_thread));
    add_figure(row, r.cpu_ns_per_op_thread);
    add_figure(row, r.ops_per_s_total);
    row.push_back(c.null_row);
    row.push_back(c.null_ns_per_op_thread ? num(c.null_ns_per_op_thread->summary.median) : "");
    row.push_back(c.null_ns_per_op_thread ? num(c.null_ns_per_op_thread->summary.p10) : "");
    row.push_back(c.null_ns_per_op_thread ? num(c.null_ns_per_op_thread->summary.p90) : "");
    row.push_back(c.note);
    row.push_back(num(r.ratio_to_gil));
    row.push_back(num(r.ratio_to_gil_lock));
    row.push_back(num(r.ratio_to_plain_single));
    row.push_back(r.ratio_to_gil_basis);
    if (real) {
      row.push_back(r.baseline_real);
      row.push_back(num(r.ratio_to_real));
      row.push_back(r.ratio_to_real_basis);
    }
    const auto median = [&](const std::optional<Figure>& f) { return f ? num(f->summary.median) : std::string(); };
    row.push_back(median(r.lost_updates_per_increment));
    row.push_back(median(r.premature_last_per_op));
    row.push_back(median(r.drift_per_op));
    row.push_back(r.fairness_spread ? num(r.fairness_spread->summary.median) : "");
    row.push_back(r.migrations ? num(r.migrations->total) : "");
    row.push_back(r.ctx_switches ? num(r.ctx_switches->total) : "");
    const bool has_mode = r.modes && r.modes->dominant_mode >= 0;
    std::optional<double> center;
    if (has_mode)
      for (const RecordMode& m : r.modes->modes)
        if (m.id == r.modes->dominant_mode) center = m.center_ns;
    row.push_back(has_mode ? std::to_string(r.modes->dominant_mode) : "");
    row.push_back(num(center));
    row.push_back(r.modes ? std::to_string(r.modes->unstable_reps.size()) : "");
    for (const std::string& e : events) {
      const auto it = r.papi_per_op.find(e);
      row.push_back(it == r.papi_per_op.end() ? "" : num(it->second.summary.median));
    }
    row.push_back(flags);
    emit(row);
  }
  return out;
}

}  // namespace rcbench::report
