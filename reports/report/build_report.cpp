// Computes the report from a run: per-record figures over the repetitions that count,
// ratios to the GIL baselines, flags, modes and calibration.
#include "report/figures.hpp"
#include "report/probe_modes.hpp"
#include "report/report_model.hpp"
#include "report/sections.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <numeric>
#include <array>
#include <set>
#include <unordered_map>

namespace rcbench::report {
namespace {

using detail::figure_of;
using runjson::Benchmark;
using runjson::InputError;

// A kind of baseline row: the rcbench.benchmarks[] field that names it, and the catalog
// role of its strategy (for rows whose metadata names none, and for the baseline itself).
struct BaselineKind {
  const char* meta_key;
  const char* role;  // runjson::StrategyInfo::baseline
};
constexpr BaselineKind kGilBaseline{"baseline", "gil"};
constexpr BaselineKind kGilLockBaseline{"baseline_lock", "lock"};
constexpr BaselineKind kRealBaseline{"baseline_real", "real"};
constexpr std::array<BaselineKind, 3> kBaselineKinds{kGilBaseline, kGilLockBaseline, kRealBaseline};

// The repetitions whose figures count (runjson::Repetition::left_out_reason), as
// positions in b.reps; the others are listed in `left_out`.
std::vector<std::size_t> counted_positions(const Benchmark& b, std::vector<LeftOut>* left_out = nullptr) {
  std::vector<std::size_t> p;
  for (std::size_t i = 0; i < b.reps.size(); ++i) {
    std::string why = b.reps[i].left_out_reason(b.name.threads);
    if (why.empty()) {
      p.push_back(i);
    } else if (left_out != nullptr) {
      left_out->push_back({b.reps[i].index, std::move(why)});
    }
  }
  return p;
}

// Which repetitions the main figures come from: those not flagged and, when the probes
// saw several modes (or a repetition changed mode), only the dominant mode's: a median
// over all repetitions describes no condition the machine was ever in.
void choose_repetitions(const Benchmark& b, const stats::ModeTags* tags, Record& rec,
                        std::vector<std::size_t>& positions) {
  positions = counted_positions(b, &rec.reps_left_out);
  const std::size_t n = b.reps.size();
  if (positions.empty() && n > 0) {
    rec.figures_from = fmt::format("no figure: all {} reps left out ({})", n, runjson::left_out_rules());
    rec.flags.push_back("no_figure");
  } else if (!rec.reps_left_out.empty()) {
    rec.figures_from = fmt::format("{} of {} reps ({} left out: {})", positions.size(), n,
                                   rec.reps_left_out.size(), runjson::left_out_rules());
  } else {
    rec.figures_from = fmt::format("all {} reps", n);
  }
  if (!rec.reps_left_out.empty()) rec.flags.push_back("reps_left_out");
  if (tags == nullptr || positions.empty()) return;

  RecordModes modes;
  modes.dominant_mode = tags->dominant;
  std::set<int> seen;
  for (std::size_t p = 0; p < b.reps.size(); ++p) {
    const int m = tags->mode_of_rep[p];
    if (m == stats::kUnstable) modes.unstable_reps.push_back(b.reps[p].index);
    if (m == stats::kUnprobed) modes.unprobed_reps.push_back(b.reps[p].index);
    if (m >= 0) seen.insert(m);
  }
  for (int id : seen) {
    const stats::Mode& m = tags->modes[static_cast<std::size_t>(id)];
    RecordMode rm{id, m.center_ns, m.lo_ns, m.hi_ns, {}, std::nullopt};
    std::vector<std::size_t> members;
    for (std::size_t p : positions) {
      if (tags->mode_of_rep[p] != id) continue;
      members.push_back(p);
    }
    for (std::size_t p = 0; p < b.reps.size(); ++p)
      if (tags->mode_of_rep[p] == id) rm.reps.push_back(b.reps[p].index);
    rm.ns_per_op_thread = figure_of(b, "ns_per_op_thread", members, "ns/op", "per thread");
    modes.modes.push_back(std::move(rm));
  }
  if (seen.size() > 1) rec.flags.push_back("multimodal");
  if (!modes.unstable_reps.empty()) rec.flags.push_back("unstable_mode");

  if (tags->dominant >= 0 && (seen.size() > 1 || !modes.unstable_reps.empty())) {
    std::vector<std::size_t> dominant;
    for (std::size_t p : positions)
      if (tags->mode_of_rep[p] == tags->dominant) dominant.push_back(p);
    positions = std::move(dominant);
    const auto& dom = tags->modes[static_cast<std::size_t>(tags->dominant)];
    rec.figures_from = fmt::format("dominant mode {} ({}, {} of {} reps{})", tags->dominant,
                                   stats::describe_mode(dom), positions.size(), n,
                                   rec.reps_left_out.empty()
                                       ? ""
                                       : fmt::format("; {} left out: {}", rec.reps_left_out.size(),
                                                     runjson::left_out_rules()));
  }
  rec.modes = std::move(modes);
}

// A thread that did not run on the planned PUs makes the row's placement a fiction.
bool ran_unpinned(const Benchmark& b, const std::vector<int>& planned) {
  if (b.meta.is_object() && b.meta.value("pinned", true) == false) return true;
  if (planned.empty()) return false;
  for (const runjson::Repetition& rep : b.reps) {
    for (const auto& [key, value] : rep.counters) {
      if (key.size() < 5 || key[0] != 't' || key.substr(key.size() - 3) != "_pu") continue;
      if (std::find(planned.begin(), planned.end(), static_cast<int>(value)) == planned.end()) return true;
    }
  }
  return false;
}

std::vector<ThreadFigure> per_thread_figures(const Benchmark& b, const std::vector<std::size_t>& positions) {
  std::vector<ThreadFigure> out;
  for (int t = 0; t < b.name.threads; ++t) {
    auto fig = figure_of(b, fmt::format("t{}_ns_per_op", t), positions, "ns/op", "this thread alone");
    if (!fig) continue;
    ThreadFigure tf{t, std::nullopt, *fig};
    const std::vector<double> pus = b.values(fmt::format("t{}_pu", t));
    if (!pus.empty() && std::all_of(pus.begin(), pus.end(), [&](double p) { return p == pus.front(); }))
      tf.pu = static_cast<int>(pus.front());
    out.push_back(std::move(tf));
  }
  return out;
}

Record make_record(const Benchmark& b, const detail::ProbeModes& probe_modes, const Report& report) {
  Record rec;
  rec.run_name = b.run_name;
  rec.name = b.name;
  rec.placement_class = detail::meta_string(b.meta, "placement_class");
  rec.pus = detail::meta_pus(b.meta);
  rec.reps_total = b.reps.size();
  rec.reps_failed = b.errors.size();

  const auto tags = probe_modes.tags.find(b.run_name);
  std::vector<std::size_t> positions;
  choose_repetitions(b, tags == probe_modes.tags.end() ? nullptr : &tags->second, rec, positions);
  for (std::size_t p : positions) rec.reps_used.push_back(b.reps[p].index);

  rec.ns_per_op_thread = figure_of(b, "ns_per_op_thread", positions, "ns/op", "per thread");
  rec.ns_per_op_total = figure_of(b, "ns_per_op_total", positions, "ns/op", "total");
  rec.ops_per_s_total = figure_of(b, "ops_per_s_total", positions, "ops/s", "total");
  rec.cpu_ns_per_op_thread = figure_of(b, "cpu_ns_per_op_thread", positions, "ns/op", "per thread, thread CPU time");
  rec.lost_updates_per_increment =
      figure_of(b, "lost_updates_per_increment", positions, "updates/increment",
                "lost increments / increments, summed over threads, in an untimed increment-only pass");
  rec.premature_last_per_op =
      figure_of(b, "premature_last_per_op", positions, "events/op",
                "decrements that reported \"last\" while references were held / ops, in an untimed checked pass");
  rec.drift_per_op = figure_of(b, "lost_updates_per_op", positions, "updates/op",
                               "drift (method 1, not a count of lost updates): |final - expected| / ops");
  rec.fairness_spread = figure_of(b, "fairness_spread", positions, "ratio", "(max - min) / mean of per-thread ops/s");
  std::set<std::string> events;
  for (std::size_t p : positions)
    for (const auto& [k, v] : b.reps[p].counters)
      if (k.rfind("papi:", 0) == 0) events.insert(k);
  for (const std::string& e : events) {
    if (auto f = detail::per_op_figure(b, e, positions, "events/op", "per op, summed over threads"))
      rec.papi_per_op.emplace(e.substr(5), std::move(*f));
  }
  rec.migrations = detail::event_count(b, "migrations");
  rec.ctx_switches = detail::event_count(b, "ctx_switches");
  rec.per_thread = per_thread_figures(b, positions);

  if (report.machine.value("is_virtual", nlohmann::json(false)) == true) rec.flags.push_back("virtual_machine");
  if (rec.migrations && rec.migrations->total > 0) rec.flags.push_back("migrated");
  if (ran_unpinned(b, rec.pus)) rec.flags.push_back("unpinned");
  if (rec.ns_per_op_thread && rec.ns_per_op_thread->summary.cv > report.thresholds.high_variance_cv)
    rec.flags.push_back("high_variance");
  if (rec.reps_failed > 0) rec.flags.push_back("failed_repetitions");
  if (positions.size() < 3) rec.flags.push_back("few_repetitions");
  // A GIL row wider than its window's turns (plan.hpp, the profile's gil_window_cap_s):
  // some thread never had the GIL, so the row is the figure of fewer threads than it says.
  for (std::size_t p : positions) {
    const auto worked = b.reps[p].counters.find("threads_worked");
    if (worked != b.reps[p].counters.end() && worked->second < static_cast<double>(rec.name.threads)) {
      rec.flags.push_back("idle_threads");
      break;
    }
  }
  return rec;
}

// The refcount rows measured under the same conditions, keyed by
// BenchmarkName::without_strategy(), in file order.
using RowsByConditions = std::unordered_map<std::string, std::vector<const Benchmark*>>;

// The baseline's run_name: the row itself when it is of the baseline's strategy, the
// metadata's when the run names one, else the first row with the same conditions and
// the baseline's strategy; "" when there is none.
// A row is of the baseline's strategy when the catalog gives its strategy the role, or
// (a run without a catalog) when another row's metadata names it as that baseline.
std::string find_baseline(const Benchmark& b, const BaselineKind& kind, const runjson::Catalog& catalog,
                          const RowsByConditions& by_conditions,
                          const std::unordered_map<std::string, std::size_t>& index,
                          const std::set<std::string>& named_as_baseline) {
  const auto is = [&](const Benchmark& row) {
    return catalog.is_baseline(row.name.strategy, kind.role) || named_as_baseline.contains(row.run_name);
  };
  if (is(b)) return b.run_name;
  const std::string named = detail::meta_string(b.meta, kind.meta_key);
  if (!named.empty()) {
    if (!index.contains(named))
      throw InputError(fmt::format("'{}': its {} '{}' (rcbench.benchmarks[]) is not in the run", b.run_name,
                                   kind.meta_key, named));
    return named;
  }
  const auto same = by_conditions.find(b.name.without_strategy());
  if (same == by_conditions.end()) return "";
  for (const Benchmark* candidate : same->second)
    if (is(*candidate)) return candidate->run_name;
  return "";
}

// Ping-pong rows: "pingpong" (method 1, two lines), "pingpong_two_line" (c2clat) and
// "pingpong_one_line_cas" (one line, CAS); the method is the part after "pingpong_".
std::string pingpong_method(std::string_view what) {
  if (what == "pingpong") return "two_line";
  constexpr std::string_view prefix = "pingpong_";
  if (what.substr(0, prefix.size()) == prefix) return std::string(what.substr(prefix.size()));
  return "";
}

void add_calibration(const Benchmark& b, Calibration& cal) {
  std::vector<LeftOut> left_out;
  const auto positions = counted_positions(b, &left_out);
  if (b.name.strategy == "overhead") {
    // A null row without a figure (all repetitions flagged) is still listed, so a row it
    // would have corrected can say why it is not.
    auto f = figure_of(b, "ns_per_op_thread", positions, "ns/op", "per thread, harness cost of an empty op");
    OverheadRow row{b.run_name, b.name.placement, b.name.threads, f.value_or(Figure{{}, "ns/op", "no figure"}),
                    figure_of(b, "ns_per_op_total", positions, "ns/op", "total, harness cost of an empty op"),
                    figure_of(b, "cpu_ns_per_op_thread", positions, "ns/op", "per thread, thread CPU time"),
                    std::move(left_out)};
    if (!f) row.ns_per_op.summary.n = 0;
    cal.overhead.push_back(std::move(row));
  } else if (const std::string method = pingpong_method(b.name.strategy); !method.empty()) {
    if (auto f = figure_of(b, "pingpong_ns", positions, "ns", "one way, min over samples per rep")) {
      std::string cls = detail::meta_string(b.meta, "placement_class");
      const auto pair = b.name.params.find("pair");
      cal.pingpong.push_back({method, pair == b.name.params.end() ? "" : pair->second, b.name.placement,
                              cls.empty() ? b.name.placement : cls, detail::meta_pus(b.meta), *f});
    }
  }
}

// The null row of a refcount row: the overhead row with the same threads and placement,
// else the first with the same threads. Fills rec.correction.
void correct(Record& rec, const Calibration& cal) {
  const OverheadRow* null_row = nullptr;
  std::string matched_on;
  for (const OverheadRow& o : cal.overhead) {
    if (o.threads != rec.name.threads) continue;
    if (o.placement == rec.name.placement) {
      null_row = &o;
      matched_on = "threads and placement";
      break;
    }
    if (null_row == nullptr) {
      null_row = &o;
      matched_on = fmt::format("threads (placement {} has no null row of its own)", rec.name.placement);
    }
  }
  Correction& c = rec.correction;
  if (null_row == nullptr) {
    c.note = "not corrected: no null row in this run";
    return;
  }
  if (null_row->ns_per_op.summary.n == 0) {
    c.note = fmt::format("not corrected: the null row {} has no figure (all its repetitions left out)",
                         null_row->run_name);
    return;
  }
  c.null_row = null_row->run_name;
  c.matched_on = matched_on;
  c.null_ns_per_op_thread = null_row->ns_per_op;
  c.null_ns_per_op_total = null_row->ns_per_op_total;
  c.null_cpu_ns_per_op_thread = null_row->cpu_ns_per_op_thread;
  const auto minus = [](const std::optional<Figure>& raw, const std::optional<Figure>& null) -> std::optional<double> {
    if (!raw || !null) return std::nullopt;
    return raw->summary.median - null->summary.median;
  };
  c.ns_per_op_thread = minus(rec.ns_per_op_thread, c.null_ns_per_op_thread);
  c.ns_per_op_total = minus(rec.ns_per_op_total, c.null_ns_per_op_total);
  c.cpu_ns_per_op_thread = minus(rec.cpu_ns_per_op_thread, c.null_cpu_ns_per_op_thread);
  for (const auto& v : {c.ns_per_op_thread, c.ns_per_op_total, c.cpu_ns_per_op_thread})
    if (v && *v <= 0) {
      rec.flags.push_back("corrected_not_positive");
      break;
    }
}

// A ratio of two rows' medians, corrected on both sides when both have a corrected
// figure > 0, raw on both sides otherwise (never one of each).
struct Ratio {
  std::optional<double> value;
  std::string basis;  // "corrected", "raw", or "" when there is no ratio
};
Ratio ratio_between(const Record& num, const Record& den, bool total) {
  const auto& cn = total ? num.correction.ns_per_op_total : num.correction.ns_per_op_thread;
  const auto& cd = total ? den.correction.ns_per_op_total : den.correction.ns_per_op_thread;
  if (cn && cd && *cn > 0 && *cd > 0) return {*cn / *cd, "corrected"};
  const auto& rn = total ? num.ns_per_op_total : num.ns_per_op_thread;
  const auto& rd = total ? den.ns_per_op_total : den.ns_per_op_thread;
  if (!rn || !rd || rd->summary.median <= 0) return {};
  return {rn->summary.median / rd->summary.median, "raw"};
}

// The ratio of a row to one of its baselines (nullptr: none, no ratio), on total ns/op:
// a GIL's point (the model's and the real interpreter's) is aggregate throughput.
void set_ratio_to_baseline(const Record& rec, const Record* baseline, std::optional<double>& value,
                           std::string& basis) {
  if (baseline == nullptr) return;
  const Ratio r = ratio_between(rec, *baseline, /*total=*/true);
  value = r.value;
  basis = r.basis;
}

}  // namespace

bool Record::has_flag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

const Record* Report::find(std::string_view run_name) const {
  for (const Record& r : records)
    if (r.run_name == run_name) return &r;
  return nullptr;
}

Report build_report(const runjson::Run& run, const Thresholds& thresholds) {
  Report report;
  report.source = run.source;
  report.method_version = run.method_version;
  report.thresholds = thresholds;
  report.machine = detail::machine_section(run);
  report.build = detail::build_section(run);
  report.run = detail::run_section(run);
  report.perf = detail::perf_section(run);
  report.environment = detail::environment_section(run);
  report.cpython = detail::cpython_section(run);
  report.catalog = run.catalog;
  report.calibration.matrix = nullptr;
  if (run.rcbench.is_object() && run.rcbench.contains("calibration") && run.rcbench["calibration"].is_object())
    report.calibration.matrix = run.rcbench["calibration"].value("pingpong_matrix", nlohmann::json(nullptr));

  const detail::ProbeModes probe_modes = detail::assign_probe_modes(run);
  report.modes_seen = probe_modes.multi_thread_groups;

  std::unordered_map<std::string, std::size_t> index;  // run_name -> record
  RowsByConditions by_conditions;
  std::vector<const Benchmark*> sources;
  for (const Benchmark& b : run.benchmarks) {
    if (b.name.kind == "calibration") {
      add_calibration(b, report.calibration);
      continue;
    }
    index.emplace(b.run_name, report.records.size());
    by_conditions[b.name.without_strategy()].push_back(&b);
    report.records.push_back(make_record(b, probe_modes, report));
    sources.push_back(&b);
  }

  for (Record& rec : report.records) correct(rec, report.calibration);

  // The rows other rows' metadata names as each kind of baseline.
  std::array<std::set<std::string>, kBaselineKinds.size()> named;
  for (const Benchmark* b : sources)
    for (std::size_t k = 0; k < kBaselineKinds.size(); ++k)
      if (std::string name = detail::meta_string(b->meta, kBaselineKinds[k].meta_key); !name.empty())
        named[k].insert(std::move(name));
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < report.records.size(); ++i) {
    Record& rec = report.records[i];
    const Benchmark& b = *sources[i];
    rec.baseline = find_baseline(b, kGilBaseline, report.catalog, by_conditions, index, named[0]);
    rec.baseline_lock = find_baseline(b, kGilLockBaseline, report.catalog, by_conditions, index, named[1]);
    rec.baseline_real = find_baseline(b, kRealBaseline, report.catalog, by_conditions, index, named[2]);
    if (rec.baseline.empty()) missing.push_back(rec.run_name);
  }
  // `rcbench run --no-baselines` records that it left the GIL rows out on purpose: the
  // report then carries no ratios rather than refusing the run.
  const bool baselines_declined = run.rcbench.is_object() && run.rcbench.contains("no_baselines") &&
                                  run.rcbench["no_baselines"].is_boolean() &&
                                  run.rcbench["no_baselines"].get<bool>();
  // The GIL model's name as this run's catalog gives it, for the messages.
  std::string gil_name = report.catalog.baseline_strategy(kGilBaseline.role);
  if (gil_name.empty()) gil_name = "GIL model";
  std::optional<std::string> declined_note;
  if (!missing.empty() && baselines_declined)
    declined_note = (fmt::format(
        "run made with --no-baselines: {} benchmark(s) have no {} row beside them, so they carry no ratio",
        missing.size(), gil_name));
  if (!missing.empty() && !baselines_declined) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i) list += "\n  " + missing[i];
    if (missing.size() > 5) list += fmt::format("\n  ... and {} more", missing.size() - 5);
    throw InputError(fmt::format(
        "{}: {} benchmark(s) have no GIL baseline (a {} row with the same workload, params, "
        "placement and threads), so no ratio can be reported:{}\nRun them together with the {} strategy.",
        run.source, missing.size(), gil_name, list, gil_name));
  }

  // The reference op (plain: Py_INCREF with the GIL held), one thread, no contention.
  const std::string reference = run.reference_row();
  const Record* plain_single = index.contains(reference) ? &report.records[index.at(reference)] : nullptr;

  const auto record_named = [&](const std::string& run_name) -> const Record* {
    return run_name.empty() ? nullptr : &report.records[index.at(run_name)];
  };
  for (Record& rec : report.records) {
    if (plain_single != nullptr) {
      const Ratio r = ratio_between(rec, *plain_single, /*total=*/false);
      rec.ratio_to_plain_single = r.value;
      rec.ratio_to_plain_single_basis = r.basis;
    }
    set_ratio_to_baseline(rec, record_named(rec.baseline_real), rec.ratio_to_real, rec.ratio_to_real_basis);
    if (rec.baseline.empty()) continue;  // only with --no-baselines (checked above)
    const Record& gil = *record_named(rec.baseline);
    set_ratio_to_baseline(rec, &gil, rec.ratio_to_gil, rec.ratio_to_gil_basis);
    set_ratio_to_baseline(rec, record_named(rec.baseline_lock), rec.ratio_to_gil_lock, rec.ratio_to_gil_lock_basis);
    const auto group = probe_modes.group_of.find(rec.run_name);
    const auto base_group = probe_modes.group_of.find(gil.run_name);
    if (rec.modes && gil.modes && group != probe_modes.group_of.end() && base_group != probe_modes.group_of.end() &&
        group->second == base_group->second && rec.modes->dominant_mode != gil.modes->dominant_mode)
      rec.flags.push_back("baseline_other_mode");
  }

  report.caveats = detail::caveats(report);
  if (declined_note) report.caveats.insert(report.caveats.begin(), *declined_note);
  return report;
}

}  // namespace rcbench::report
