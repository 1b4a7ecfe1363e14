// report.json: the Report as JSON (docs/schemas/report.schema.json, schema_version 2).
#include "report/report_model.hpp"

namespace rcbench::report {
namespace {

using nlohmann::json;

json to_json(const Figure& f) {
  const stats::Summary& s = f.summary;
  return {{"unit", f.unit}, {"scope", f.scope}, {"n", s.n},           {"median", s.median},
          {"min", s.min},   {"max", s.max},     {"mean", s.mean},     {"p10", s.p10},
          {"p90", s.p90},   {"stddev", s.stddev}, {"cv", s.cv}};
}

template <class T>
json optional_json(const std::optional<T>& v) {
  if (!v) return nullptr;
  if constexpr (std::is_same_v<T, Figure>) {
    return to_json(*v);
  } else {
    return *v;
  }
}

json to_json(const std::optional<EventCount>& c, const char* unit) {
  if (!c) return nullptr;
  return {{"unit", unit}, {"scope", "total over threads, summed over all repetitions"},
          {"total", c->total}, {"max_per_rep", c->max_per_rep}, {"reps", c->reps}};
}

json to_json(const RecordModes& m) {
  json modes = json::array();
  for (const RecordMode& rm : m.modes) {
    modes.push_back({{"id", rm.id}, {"center_ns", rm.center_ns}, {"lo_ns", rm.lo_ns}, {"hi_ns", rm.hi_ns},
                     {"reps", rm.reps}, {"ns_per_op_thread", optional_json(rm.ns_per_op_thread)}});
  }
  return {{"modes", modes},
          {"dominant_mode", m.dominant_mode < 0 ? json(nullptr) : json(m.dominant_mode)},
          {"unstable_reps", m.unstable_reps},
          {"unprobed_reps", m.unprobed_reps}};
}

json left_out_json(const std::vector<LeftOut>& left_out) {
  json out = json::array();
  for (const LeftOut& l : left_out) out.push_back({{"rep", l.rep}, {"reason", l.reason}});
  return out;
}

json to_json(const Correction& c) {
  return {{"null_row", c.applied() ? json(c.null_row) : json(nullptr)},
          {"matched_on", c.applied() ? json(c.matched_on) : json(nullptr)},
          {"note", c.applied() ? json(nullptr) : json(c.note)},
          {"null_ns_per_op_thread", optional_json(c.null_ns_per_op_thread)},
          {"null_ns_per_op_total", optional_json(c.null_ns_per_op_total)},
          {"null_cpu_ns_per_op_thread", optional_json(c.null_cpu_ns_per_op_thread)}};
}

json basis(const std::string& b) { return b.empty() ? json(nullptr) : json(b); }

json to_json(const Record& r) {
  json papi = json::object();
  for (const auto& [event, fig] : r.papi_per_op) papi[event] = to_json(fig);
  json threads = json::array();
  for (const ThreadFigure& t : r.per_thread)
    threads.push_back({{"thread", t.thread}, {"pu", optional_json(t.pu)}, {"ns_per_op", to_json(t.ns_per_op)}});
  return {
      {"run_name", r.run_name},
      {"strategy", r.name.strategy},
      {"workload", r.name.workload},
      {"params", r.name.params},
      {"placement", r.name.placement},
      {"mem", r.name.mem.empty() ? json(nullptr) : json(r.name.mem)},
      {"placement_class", r.placement_class.empty() ? json(nullptr) : json(r.placement_class)},
      {"pus", r.pus},
      {"threads", r.name.threads},
      {"baseline", r.baseline},
      {"baseline_lock", r.baseline_lock.empty() ? json(nullptr) : json(r.baseline_lock)},
      {"baseline_real", r.baseline_real.empty() ? json(nullptr) : json(r.baseline_real)},
      {"repetitions",
       {{"total", r.reps_total},
        {"failed", r.reps_failed},
        {"used", r.reps_used},
        {"left_out", left_out_json(r.reps_left_out)}}},
      {"figures_from", r.figures_from},
      {"ns_per_op_thread", optional_json(r.ns_per_op_thread)},
      {"ns_per_op_thread_corrected", optional_json(r.correction.ns_per_op_thread)},
      {"ns_per_op_total", optional_json(r.ns_per_op_total)},
      {"ns_per_op_total_corrected", optional_json(r.correction.ns_per_op_total)},
      {"cpu_ns_per_op_thread", optional_json(r.cpu_ns_per_op_thread)},
      {"cpu_ns_per_op_thread_corrected", optional_json(r.correction.cpu_ns_per_op_thread)},
      {"correction", to_json(r.correction)},
      {"ops_per_s_total", optional_json(r.ops_per_s_total)},
      {"ratio_to_gil", optional_json(r.ratio_to_gil)},
      {"ratio_to_gil_lock", optional_json(r.ratio_to_gil_lock)},
      {"ratio_to_real", optional_json(r.ratio_to_real)},
      {"ratio_to_plain_single", optional_json(r.ratio_to_plain_single)},
      {"ratio_basis",
       {{"ratio_to_gil", basis(r.ratio_to_gil_basis)},
        {"ratio_to_gil_lock", basis(r.ratio_to_gil_lock_basis)},
        {"ratio_to_real", basis(r.ratio_to_real_basis)},
        {"ratio_to_plain_single", basis(r.ratio_to_plain_single_basis)}}},
      {"lost_updates_per_increment", optional_json(r.lost_updates_per_increment)},
      {"premature_last_per_op", optional_json(r.premature_last_per_op)},
      {"drift_per_op", optional_json(r.drift_per_op)},
      {"fairness_spread", optional_json(r.fairness_spread)},
      {"papi_per_op", papi},
      {"migrations", to_json(r.migrations, "migrations")},
      {"ctx_switches", to_json(r.ctx_switches, "context switches")},
      {"per_thread", threads},
      {"modes", r.modes ? to_json(*r.modes) : json(nullptr)},
      {"flags", r.flags},
  };
}

json to_json(const Calibration& c) {
  json overhead = json::array();
  for (const OverheadRow& o : c.overhead)
    overhead.push_back({{"run_name", o.run_name},
                        {"placement", o.placement},
                        {"threads", o.threads},
                        {"ns_per_op", o.ns_per_op.summary.n > 0 ? to_json(o.ns_per_op) : json(nullptr)},
                        {"ns_per_op_total", optional_json(o.ns_per_op_total)},
                        {"cpu_ns_per_op_thread", optional_json(o.cpu_ns_per_op_thread)},
                        {"reps_left_out", left_out_json(o.reps_left_out)}});
  json pingpong = json::array();
  for (const PingPongRow& p : c.pingpong)
    pingpong.push_back({{"method", p.method}, {"pair", p.pair.empty() ? json(nullptr) : json(p.pair)},
                        {"placement", p.placement}, {"placement_class", p.placement_class}, {"pus", p.pus},
                        {"one_way_ns", to_json(p.one_way_ns)}});
  return {{"overhead", overhead}, {"pingpong", pingpong}, {"matrix", c.matrix}};
}

json to_json(const ModeGroup& g) {
  json modes = json::array();
  for (const ModeGroup::Seen& m : g.modes)
    modes.push_back({{"id", m.id}, {"center_ns", m.center_ns}, {"lo_ns", m.lo_ns}, {"hi_ns", m.hi_ns}, {"reps", m.reps}});
  return {{"placement", g.placement},          {"pus", g.pus},
          {"benchmarks", g.benchmarks},        {"reps", g.reps},
          {"unstable_reps", g.unstable_reps},  {"unprobed_reps", g.unprobed_reps},
          {"modes", modes}};
}

}  // namespace

nlohmann::json to_json(const Report& report) {
  json records = json::array();
  for (const Record& r : report.records) records.push_back(to_json(r));
  json modes_seen = json::array();
  for (const ModeGroup& g : report.modes_seen) modes_seen.push_back(to_json(g));
  return {
      {"schema_version", kSchemaVersion},
      {"method_version", report.method_version},
      {"machine", report.machine},
      {"build", report.build},
      {"run", report.run},
      {"perf", report.perf},
      {"environment", report.environment},
      {"cpython", report.cpython},
      {"catalog", report.catalog.to_json()},
      {"calibration", to_json(report.calibration)},
      {"modes_seen", modes_seen},
      {"thresholds", {{"high_variance_cv", report.thresholds.high_variance_cv}}},
      {"caveats", report.caveats},
      {"records", records},
  };
}

}  // namespace rcbench::report
