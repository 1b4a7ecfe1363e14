// Builds the report's sections and tables (rendering is in markdown.cpp / html.cpp).
#include "report/tables.hpp"

#include "report/figures.hpp"
#include "report/format.hpp"
#include "report/labels.hpp"
#include "report/machine_description.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace rcbench::report {
namespace {

using nlohmann::json;
namespace f = format;

// Flags that make a figure suspect, with the marker a table cell carries.
// virtual_machine is on every row of a VM run and is said once, in the caveats.
struct Marker {
  const char* flag;
  const char* mark;
  const char* meaning;
};
constexpr Marker kMarkers[] = {
    {"high_variance", "v", "high variance over repetitions"},
    {"multimodal", "m", "repetitions ran in several latency modes (dominant mode shown)"},
    {"unstable_mode", "s", "some repetitions changed latency mode (left out)"},
    {"baseline_other_mode", "b", "the GIL baseline ran in another latency mode"},
    {"migrated", "M", "a pinned thread migrated"},
    {"unpinned", "u", "threads not on the planned PUs"},
    {"failed_repetitions", "f", "some repetitions failed"},
    {"few_repetitions", "n", "fewer than 3 repetitions"},
    {"idle_threads", "i", "in some repetition a thread never had an op (threads_worked < threads: a GIL row wider than its window)"},
    {"reps_left_out", "o", "some repetitions left out: overlap < 0.99 (not contended for the whole window)"},
    {"corrected_not_positive", "z", "corrected figure <= 0: the op costs no more than the null op, within noise"},
};

std::string markers(const Record& r) {
  std::string out;
  for (const Marker& m : kMarkers)
    if (r.has_flag(m.flag)) out += m.mark;
  return out.empty() ? "" : " [" + out + "]";
}

std::string marker_legend(const std::vector<const Record*>& shown) {
  std::string out;
  for (const Marker& m : kMarkers) {
    const bool used = std::any_of(shown.begin(), shown.end(), [&](const Record* r) { return r->has_flag(m.flag); });
    if (used) out += fmt::format("{}[{}] {}", out.empty() ? "" : "; ", m.mark, m.meaning);
  }
  return out.empty() ? "" : "Markers: " + out + ".";
}

// The workload with its parameters and, for the shared object of a pair on two NUMA
// nodes, where its page was (mem=local: thread 0's node, mem=remote: thread 1's), so the
// two variants get a column (and a line) each: "shared (mem=remote)".
std::string workload_label(const Record& r) {
  std::string params;
  for (const auto& [k, v] : r.name.params) params += fmt::format("{}{}={}", params.empty() ? "" : ", ", k, v);
  if (!r.name.mem.empty()) params += fmt::format("{}mem={}", params.empty() ? "" : ", ", r.name.mem);
  return params.empty() ? r.name.workload : fmt::format("{} ({})", r.name.workload, params);
}

std::string placement_label(const Record& r) {
  std::string label = "placement " + r.name.placement;
  std::vector<std::string> parts;
  if (!r.pus.empty()) parts.push_back("PUs " + detail::pu_list(r.pus));
  // One PU shares every level with itself: the class says nothing for one thread.
  if (!r.placement_class.empty() && r.placement_class != r.name.placement && r.name.threads > 1)
    parts.push_back("nearest shared level: " + r.placement_class);
  if (!parts.empty()) {
    label += " (";
    for (std::size_t i = 0; i < parts.size(); ++i) label += (i ? ", " : "") + parts[i];
    label += ")";
  }
  return label + fmt::format(", {} thread{}", r.name.threads, r.name.threads == 1 ? "" : "s");
}

std::string record_label(const Record& r) {
  return fmt::format("{} · {} · {} ×{}", r.name.strategy, workload_label(r), r.name.placement, r.name.threads);
}

// Strategies in the catalog's order (the GIL baselines and the real interpreter last:
// they are the references the other rows are read against); strategies the catalog
// does not hold after those it does, in order of first appearance.
std::vector<std::string> strategy_order(const std::vector<const Record*>& records, const runjson::Catalog& catalog) {
  std::vector<std::string> order;
  for (const Record* r : records)
    if (std::find(order.begin(), order.end(), r->name.strategy) == order.end()) order.push_back(r->name.strategy);
  std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
    return catalog.strategy_order(a) < catalog.strategy_order(b);
  });
  return order;
}

template <class Key>
std::vector<Key> first_appearance(const std::vector<const Record*>& records, Key (*key)(const Record&)) {
  std::vector<Key> out;
  for (const Record* r : records)
    if (std::find(out.begin(), out.end(), key(*r)) == out.end()) out.push_back(key(*r));
  return out;
}

std::string json_text(const json& v) {
  if (v.is_null()) return "unknown";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_array()) {
    std::string out;
    for (const json& e : v) out += (out.empty() ? "" : ", ") + json_text(e);
    return out.empty() ? "none" : out;
  }
  return v.dump();
}

// The embedded interpreter of the real-interpreter rows, as rcbench.cpython records it.
std::string cpython_text(const json& c) {
  if (c.value("available", json(false)) != true) return "not available: " + json_text(c.value("reason", json(nullptr)));
  std::string text = fmt::format("{} ({})", json_text(c.value("version", json(nullptr))),
                                 json_text(c.value("library", json(nullptr))));
  if (c.value("gil_disabled", json(false)) == true) text += ", free-threaded build";
  text += fmt::format("; a Python call every {} ops", json_text(c.value("eval_every_ops", json(nullptr))));
  // Runs record the interval per row (rcbench.benchmarks[].switch_interval_us); older
  // runs had it here. Say nothing rather than "unknown s" when this run does not.
  if (const json& s = c.value("switch_interval_s", json(nullptr)); s.is_number())
    text += fmt::format(", switch interval {} s", s.dump());
  return text;
}

Section machine_section(const Report& report) {
  const json& m = report.machine;
  const json& b = report.build;
  const json& run = report.run;
  Section s{"machine", "Machine and run", {}, {}, {}};
  Table t{"", {"what", "value"}, {}, ""};
  const auto row = [&](std::string k, std::string v) { t.rows.push_back({std::move(k), std::move(v)}); };
  for (auto& [what, value] : machine_description(m, b)) row(std::move(what), std::move(value));
  row("Topology", fmt::format("{} package(s), {} NUMA node(s), {} L3, {} L2, {} cores, {} PUs, SMT {}; allowed PUs {}",
                              json_text(m["packages"]), json_text(m["numa_nodes"]), json_text(m["l3_caches"]),
                              json_text(m["l2_caches"]), json_text(m["cores"]), json_text(m["pus"]),
                              json_text(m["smt"]), json_text(m["allowed_pus"])));
  row("Placement classes present", json_text(m["classes_present"]));
  row("Governor / turbo", json_text(m["governor"]) + " / " + json_text(m["turbo"]));
  row("perf_event_paranoid", json_text(m["perf_event_paranoid"]));
  row("Build", fmt::format("{}, {} {}, git {}", json_text(b["compiler"]), json_text(b["build_type"]),
                           json_text(b["flags"]), json_text(b["git_revision"])));
  row("Run", fmt::format("profile {}, {}–{} repetitions per benchmark, started {}", json_text(run["profile"]),
                         json_text(run["repetitions"]["min"]), json_text(run["repetitions"]["max"]),
                         json_text(run["date"])));
  row("Command", json_text(run["command_line"]));
  if (report.cpython.is_object()) row("CPython (real-interpreter rows)", cpython_text(report.cpython));
  row("Source", json_text(run["source"]));
  s.tables.push_back(std::move(t));
  return s;
}

// The workload columns of a table (workload_label: name and params) in the catalog's
// order (the `foreign` non-owner row right after the `private` owner row it is read
// against), parameters in order of first appearance.
std::vector<std::string> workload_columns(const std::vector<const Record*>& rows, const runjson::Catalog& catalog) {
  std::vector<const Record*> sorted = rows;
  std::stable_sort(sorted.begin(), sorted.end(), [&](const Record* a, const Record* b) {
    return catalog.workload_order(a->name.workload) < catalog.workload_order(b->name.workload);
  });
  return first_appearance<std::string>(sorted, workload_label);
}

std::string no_figure_text(const Record& r) {
  return fmt::format("no figure ({} of {} reps left out)", r.reps_left_out.size(), r.reps_total);
}

bool has_real_baseline(const Record* r) { return !r->baseline_real.empty(); }

// The GIL model's strategy as the run's catalog names it.
std::string gil_model_name(const Report& report) {
  const std::string name = report.catalog.baseline_strategy("gil");
  return name.empty() ? "GIL model" : name;
}

// The real interpreter's eval strategies (cpython<MAJOR><MINOR>_eval), as the run names them.
std::string real_strategies(const Report& report) {
  std::vector<const Record*> real;
  for (const Record& r : report.records)
    if (r.is_real_baseline()) real.push_back(&r);
  std::string out;
  for (const std::string& strategy : first_appearance<std::string>(real, [](const Record& r) { return r.name.strategy; }))
    out += (out.empty() ? "" : "/") + strategy;
  return out;
}

// A ratio in a cost table's cell; [R] where a corrected table had to divide raw figures.
std::string ratio_text(const std::optional<double>& ratio, const std::string& basis, bool corrected_table) {
  return f::or_dash(ratio, f::ratio) + (corrected_table && basis == "raw" ? " [R]" : "");
}

// What a cost table shows of its rows: corrected figures (raw beside them) when one of
// its rows has a null row, and where a workload's column has a "× real" beside it.
struct CostColumns {
  std::vector<std::string> workloads;
  std::vector<bool> real;  // per workload: one of its rows has a real baseline
  bool corrected = false;
};

CostColumns cost_columns(const std::vector<const Record*>& rows, const runjson::Catalog& catalog) {
  CostColumns c{workload_columns(rows, catalog), {}, false};
  for (const std::string& w : c.workloads)
    c.real.push_back(std::any_of(rows.begin(), rows.end(), [&](const Record* r) {
      return workload_label(*r) == w && has_real_baseline(r);
    }));
  c.corrected = std::any_of(rows.begin(), rows.end(), [](const Record* r) {
    return r->correction.ns_per_op_thread.has_value();
  });
  return c;
}

// One workload's cells of a strategy's row (r: nullptr when the run has no such row):
// ns/op (× GIL), then × real when the column has it, then raw ns/op in a corrected table.
// `shade` gets each cell's ratio for the HTML colour (none for raw ns/op).
void append_cost_cells(std::vector<std::string>& cells, std::vector<std::optional<double>>& shade, const Record* r,
                       bool corrected, bool real_column) {
  if (r == nullptr || !r->ns_per_op_thread) {
    const std::string text = r != nullptr && r->has_flag("no_figure") ? no_figure_text(*r) : "—";
    cells.push_back(text);
    if (real_column) cells.push_back("—");
    if (corrected) cells.push_back(text);
    shade.resize(cells.size());
    return;
  }
  shade.resize(cells.size());
  shade.push_back(r->ratio_to_gil);
  if (real_column) shade.push_back(r->ratio_to_real);
  const std::string ratio = ratio_text(r->ratio_to_gil, r->ratio_to_gil_basis, corrected);
  if (!corrected) {
    cells.push_back(fmt::format("{} ({}){}", f::ns(r->ns_per_op_thread->summary.median), ratio, markers(*r)));
  } else {
    cells.push_back(r->correction.ns_per_op_thread
                        ? fmt::format("{} ({}){}", f::ns(*r->correction.ns_per_op_thread), ratio, markers(*r))
                        : fmt::format("not corrected ({}){}", ratio, markers(*r)));
  }
  if (real_column) cells.push_back(ratio_text(r->ratio_to_real, r->ratio_to_real_basis, corrected));
  if (corrected) cells.push_back(f::ns(r->ns_per_op_thread->summary.median));
  shade.resize(cells.size());
}

std::string cost_caption(const std::vector<const Record*>& rows, bool corrected) {
  const std::string caption = placement_label(*rows.front());
  if (!corrected) return caption + " — raw ns/op per thread (" + rows.front()->correction.note + ")";
  const Correction& c = (*std::find_if(rows.begin(), rows.end(), [](const Record* r) {
                          return r->correction.applied();
                        }))->correction;
  return caption + fmt::format(" — corrected ns/op per thread (raw − median of {}, {} ns/op), raw in the next column",
                               c.null_row, f::sig(c.null_ns_per_op_thread->summary.median));
}

// The cost table of one placement and thread count: strategies by workloads.
Table cost_table(const std::vector<const Record*>& rows, const runjson::Catalog& catalog) {
  const CostColumns columns = cost_columns(rows, catalog);
  Table t{cost_caption(rows, columns.corrected), {"strategy"}, {}, ""};
  for (std::size_t i = 0; i < columns.workloads.size(); ++i) {
    const std::string& w = columns.workloads[i];
    t.header.push_back(columns.corrected ? w + " (corrected)" : w);
    if (columns.real[i]) t.header.push_back(w + " (× real)");
    if (columns.corrected) t.header.push_back(w + " (raw)");
  }
  for (const std::string& strategy : strategy_order(rows, catalog)) {
    std::vector<std::string> cells{strategy};
    std::vector<std::optional<double>> shade;
    for (std::size_t i = 0; i < columns.workloads.size(); ++i) {
      const auto it = std::find_if(rows.begin(), rows.end(), [&](const Record* r) {
        return r->name.strategy == strategy && workload_label(*r) == columns.workloads[i];
      });
      append_cost_cells(cells, shade, it == rows.end() ? nullptr : *it, columns.corrected, columns.real[i]);
    }
    t.rows.push_back(std::move(cells));
    t.shade.push_back(std::move(shade));
  }
  t.shade_meaning = fmt::format("the cell's ratio to the {} baseline (× real: to the real interpreter's row), "
                                "total ns/op", catalog.baseline_strategy("gil").empty() ? "GIL" : catalog.baseline_strategy("gil"));
  const bool raw_ratio = columns.corrected && std::any_of(rows.begin(), rows.end(), [](const Record* r) {
    return r->ratio_to_gil_basis == "raw" || r->ratio_to_real_basis == "raw";
  });
  t.note = marker_legend(rows);
  if (raw_ratio)
    t.note += std::string(t.note.empty() ? "" : " ") + "[R] ratio of raw figures (a corrected one is missing or <= 0).";
  return t;
}

Section main_section(const Report& report) {
  Section s{"main", "Cost per reference-count operation", {}, {}, {}};
  s.paragraphs.push_back(
      "One op is one incref followed by one decref of the same object. Each cell: the median, over the "
      "repetitions used, of ns per op per thread (each thread's window divided by its own ops, averaged "
      "over threads): the cost one thread pays for one op. The median, because repetitions on a shared "
      "machine have outliers (steal time, latency-mode changes) that a mean would absorb.");
  s.paragraphs.push_back(
      "Corrected figures subtract the harness's own cost: the median of the null row (calibration/overhead: "
      "an op that does nothing, through the identical timed block) with the same threads and placement "
      "(else the same threads). Tables of such rows show the corrected median first and the raw median in "
      "the next column; a table whose rows have no null row shows raw figures and says so in its caption.");
  s.paragraphs.push_back(fmt::format(
      "Repetitions whose threads ran together for less than {:g} of the window (counter overlap) were not "
      "contended for the whole window, and one-thread repetitions whose thread was on its CPU for less than "
      "{:g} of its window (thread CPU time / wall time) were disturbed: both are left out of every figure "
      "(marker [o]); a row whose repetitions were all left out has no figure.",
      runjson::kMinOverlap, runjson::kMinCpuShare));
  const std::string gil = gil_model_name(report);
  s.paragraphs.push_back(fmt::format(
      "In parentheses: the ratio to the {0} baseline (CPython's GIL model) with the same workload, "
      "placement and threads, computed on total ns per op (team wall time / all ops, the inverse of "
      "throughput), because a GIL's point is aggregate throughput. Corrected figures on both sides where "
      "both rows have one (> 0), else raw figures on both sides, never one of each; cells marked [R] in a "
      "corrected table used raw ones. Below 1× the strategy gets more work done than the same threads "
      "behind a GIL; the {0} row is 1× by definition.",
      gil));
  if (const std::string real = real_strategies(report); !real.empty())
    s.paragraphs.push_back(fmt::format(
        "× real: the same ratio against the real interpreter's row ({}) with the same workload, placement "
        "and threads, beside the workloads that have one; on the {} row it is the model / real "
        "ratio (see \"GIL model vs the real interpreter\").",
        real, gil));

  std::vector<std::pair<std::string, int>> groups;
  for (const Record& r : report.records)
    if (std::find(groups.begin(), groups.end(), std::pair{r.name.placement, r.name.threads}) == groups.end())
      groups.emplace_back(r.name.placement, r.name.threads);
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.second < b.second; });

  for (const auto& [placement, threads] : groups) {
    std::vector<const Record*> rows;
    for (const Record& r : report.records)
      if (r.name.placement == placement && r.name.threads == threads) rows.push_back(&r);
    s.tables.push_back(cost_table(rows, report.catalog));
  }
  return s;
}

// What the real interpreter's row measures, from rcbench.cpython (N: eval_every_ops).
std::string real_row_caption(const Report& report, const std::string& real) {
  const json& c = report.cpython;
  const json version = c.is_object() ? c.value("version", json(nullptr)) : json(nullptr);
  const json every = c.is_object() ? c.value("eval_every_ops", json(nullptr)) : json(nullptr);
  const std::string python =
      version.is_string() ? "CPython " + version.get<std::string>().substr(0, version.get<std::string>().find(' '))
                          : std::string("CPython");
  const std::string n = every.is_number_integer() ? fmt::format("{} ops (rcbench.cpython.eval_every_ops)", every.dump())
                                                  : "N ops (this run did not record N)";
  return fmt::format(
      "GIL model vs the real interpreter, total ns/op. The real row ({}) does Py_INCREF/Py_DECREF on a real "
      "PyObject in the embedded {} under the real GIL protocol, and calls a trivial Python function every {} "
      "so that its eval breaker can hand the GIL over.",
      real, python, n);
}

// A row's total ns/op on a ratio's basis (corrected or raw), with its markers.
std::string total_on_basis(const Record& r, const std::string& basis) {
  if (basis == "corrected") return f::ns(*r.correction.ns_per_op_total) + markers(r);
  if (r.ns_per_op_total) return f::ns(r.ns_per_op_total->summary.median) + markers(r);
  return r.has_flag("no_figure") ? no_figure_text(r) : "—";
}

// Only when the run has the real interpreter's rows beside the GIL model's: how far the
// model's cost is from the interpreter it models, per workload, placement and threads.
std::optional<Section> real_interpreter_section(const Report& report) {
  std::vector<const Record*> models;
  for (const Record& r : report.records)
    if (r.is_gil_baseline() && has_real_baseline(&r)) models.push_back(&r);
  if (models.empty()) return std::nullopt;
  std::stable_sort(models.begin(), models.end(), [](const Record* a, const Record* b) {
    return a->name.threads < b->name.threads;
  });
  const std::string real = real_strategies(report);
  Section s{"real_interpreter", "GIL model vs the real interpreter", {}, {}, {}};
  const std::string gil = gil_model_name(report);
  s.paragraphs.push_back(fmt::format(
      "Each line: the GIL model row ({}) and the real interpreter's row with the same workload, "
      "placement and threads, as total ns per op (team wall time / all ops), and model / real, the model "
      "row's ratio_to_real. Both figures are corrected by their null rows where both have a corrected figure "
      "> 0, else both raw (column figures). Below 1× the model is cheaper than the real interpreter.",
      gil));
  Table t{real_row_caption(report, real),
          {"workload", "placement", "threads", gil + " (model)", real + " (real)", "model/real", "figures"},
          {},
          ""};
  std::vector<const Record*> shown;
  for (const Record* model : models) {
    const Record* interpreter = report.find(model->baseline_real);
    shown.insert(shown.end(), {model, interpreter});
    t.rows.push_back({workload_label(*model), model->name.placement, std::to_string(model->name.threads),
                      total_on_basis(*model, model->ratio_to_real_basis),
                      total_on_basis(*interpreter, model->ratio_to_real_basis),
                      f::or_dash(model->ratio_to_real, f::ratio),
                      model->ratio_to_real_basis.empty() ? "—" : model->ratio_to_real_basis});
    t.shade.push_back({std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, model->ratio_to_real});
  }
  t.shade_meaning = "model / real, total ns/op";
  t.note = marker_legend(shown);
  s.tables.push_back(std::move(t));
  return s;
}

Section scaling_section(const Report& report) {
  Section s{"scaling", "Throughput by thread count", {}, {}, {}};
  s.paragraphs.push_back(
      "Total ops per second summed over all threads (median over the repetitions used), per strategy, at "
      "each thread count and placement, as measured (raw: throughput is not corrected). Perfect scaling doubles a row's figure from 1 to 2 threads; a GIL "
      "keeps it flat at best.");
  // The uncontended and the one-shared-object workloads (private, shared); all of them
  // when the run has neither.
  std::set<std::string> wanted;
  for (const Record& r : report.records)
    if (report.catalog.has_contention(r.name.workload, "none") ||
        report.catalog.has_contention(r.name.workload, "one_object"))
      wanted.insert(r.name.workload);
  for (const Record& r : report.records)
    if (wanted.empty()) wanted.insert(r.name.workload);

  std::vector<std::string> workloads;
  for (const Record& r : report.records) {
    const std::string w = workload_label(r);
    if (wanted.contains(r.name.workload) && std::find(workloads.begin(), workloads.end(), w) == workloads.end())
      workloads.push_back(w);
  }
  for (const std::string& w : workloads) {
    std::vector<const Record*> rows;
    for (const Record& r : report.records)
      if (workload_label(r) == w) rows.push_back(&r);
    std::vector<std::pair<int, std::string>> columns;
    for (const Record* r : rows)
      if (std::find(columns.begin(), columns.end(), std::pair{r->name.threads, r->name.placement}) == columns.end())
        columns.emplace_back(r->name.threads, r->name.placement);
    std::stable_sort(columns.begin(), columns.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Table t{"workload " + w + ": ops/s, total over threads", {"strategy"}, {}, ""};
    for (const auto& [threads, placement] : columns) t.header.push_back(fmt::format("{} × {}", threads, placement));
    for (const std::string& strategy : strategy_order(rows, report.catalog)) {
      std::vector<std::string> cells{strategy};
      for (const auto& [threads, placement] : columns) {
        const auto it = std::find_if(rows.begin(), rows.end(), [&](const Record* r) {
          return r->name.strategy == strategy && r->name.threads == threads && r->name.placement == placement;
        });
        cells.push_back(it == rows.end() || !(*it)->ops_per_s_total
                            ? "—"
                            : f::si((*it)->ops_per_s_total->summary.median) + "ops/s" + markers(**it));
      }
      t.rows.push_back(std::move(cells));
    }
    t.note = marker_legend(rows);
    s.tables.push_back(std::move(t));
  }
  return s;
}

Section details_section(const Report& report) {
  Section s{"details", "Lost updates, fairness and per-thread costs", {}, {}, {}};
  const bool drift = std::any_of(report.records.begin(), report.records.end(),
                                 [](const Record& r) { return r.drift_per_op.has_value(); });
  s.paragraphs.push_back(
      "Multi-thread rows only, medians over the repetitions used. Lost updates per increment (method 2): "
      "from an untimed increment-only pass after the window, (increments made - count gained) / increments "
      "made, exact, for strategies that are not race-free on a shared object. Premature \"last\" per op "
      "(method 2): decrements that reported the count reached zero while references were still held, per op "
      "of an untimed checked pass. Fairness spread: (max - min) / mean of per-thread ops/s, 0 = fair. "
      "Per-thread ns/op: each thread alone (for biased, t0 is the owner). Migrations and context switches: "
      "totals over threads and all repetitions.");
  if (drift)
    s.paragraphs.push_back(
        "Drift (method 1): the old lost_updates_per_op, |final count - expected| / ops after a run of "
        "increments and decrements. Lost increments and lost decrements cancel in it (a random walk), so it "
        "is not a count of lost updates; shown for method-1 runs only, under that name.");
  Table t{"Multi-thread rows: lost updates, fairness, per-thread ns/op, migrations",
          {"row", "lost updates/increment", "premature last/op"}, {}, ""};
  if (drift) t.header.push_back("drift (method 1, not a count of lost updates)");
  for (const char* h : {"fairness spread", "per-thread ns/op", "migrations", "ctx switches"}) t.header.push_back(h);
  const auto median = [](const std::optional<Figure>& fig, int digits = 3) {
    return fig ? f::sig(fig->summary.median, digits) : std::string("—");
  };
  for (const Record& r : report.records) {
    if (r.name.threads < 2) continue;
    std::string per_thread;
    for (const ThreadFigure& tf : r.per_thread)
      per_thread += fmt::format("{}t{}{}: {}", per_thread.empty() ? "" : ", ", tf.thread,
                                tf.pu ? fmt::format("@PU{}", *tf.pu) : "", f::sig(tf.ns_per_op.summary.median));
    std::vector<std::string> row{record_label(r), median(r.lost_updates_per_increment),
                                 median(r.premature_last_per_op)};
    if (drift) row.push_back(median(r.drift_per_op));
    row.push_back(median(r.fairness_spread, 2));
    row.push_back(per_thread.empty() ? "—" : per_thread);
    row.push_back(r.migrations ? f::sig(r.migrations->total) : "—");
    row.push_back(r.ctx_switches ? f::sig(r.ctx_switches->total) : "—");
    t.rows.push_back(std::move(row));
  }
  t.fold = true;  // one row per multi-thread record: a reference, not the headline
  if (t.rows.empty()) {
    s.paragraphs.push_back("This run has no multi-thread rows.");
  } else {
    s.tables.push_back(std::move(t));
  }
  return s;
}

Section papi_section(const Report& report) {
  Section s{"papi", "Hardware counters per op", {}, {}, {}};
  std::set<std::string> events;
  for (const Record& r : report.records)
    for (const auto& [e, fig] : r.papi_per_op) events.insert(e);
  if (events.empty()) {
    s.paragraphs.push_back("No hardware or software performance event was counted in this run, so this report "
                           "carries no per-op event figures.");
  } else {
    s.paragraphs.push_back("Events per op, summed over threads (median over the repetitions used of each "
                           "repetition's event total / its ops).");
    Table t{"Events per op, summed over threads", {"row"}, {}, ""};
    for (const std::string& e : events) t.header.push_back(e);
    for (const Record& r : report.records) {
      if (r.papi_per_op.empty()) continue;
      std::vector<std::string> cells{record_label(r)};
      for (const std::string& e : events) {
        const auto it = r.papi_per_op.find(e);
        cells.push_back(it == r.papi_per_op.end() ? "—" : f::sig(it->second.summary.median));
      }
      t.rows.push_back(std::move(cells));
    }
    t.fold = true;
    s.tables.push_back(std::move(t));
  }
  for (const json& u : report.perf["unavailable"])
    s.bullets.push_back(fmt::format("{} unavailable: {}", json_text(u["name"]),
                                    u["reason"].get<std::string>().empty() ? "no reason given" : json_text(u["reason"])));
  return s;
}

Section calibration_section(const Report& report) {
  Section s{"calibration", "Calibration", {}, {}, {}};
  const Calibration& c = report.calibration;
  if (c.overhead.empty() && c.pingpong.empty()) {
    s.paragraphs.push_back("This run has no calibration rows.");
    return s;
  }
  if (!c.overhead.empty()) {
    s.paragraphs.push_back("Harness overhead (the null rows): ns per op of an op that does nothing, through the "
                           "identical timed block. Every raw figure above includes it; corrected figures subtract "
                           "the median of the null row with the same threads and placement (else the same "
                           "threads). The spread is p10–p90 over its repetitions.");
    Table t{"Harness overhead (null rows)",
            {"placement", "threads", "median ns/op per thread", "p10–p90", "min", "median ns/op total", "reps",
             "left out"},
            {},
            ""};
    for (const OverheadRow& o : c.overhead) {
      const stats::Summary& m = o.ns_per_op.summary;
      const bool fig = m.n > 0;
      t.rows.push_back({o.placement, std::to_string(o.threads), fig ? f::sig(m.median) : "no figure",
                        fig ? fmt::format("{}–{}", f::sig(m.p10), f::sig(m.p90)) : "—", fig ? f::sig(m.min) : "—",
                        o.ns_per_op_total ? f::sig(o.ns_per_op_total->summary.median) : "—", std::to_string(m.n),
                        std::to_string(o.reps_left_out.size())});
    }
    s.tables.push_back(std::move(t));
  }
  std::size_t matrix_cells = 0;
  for (const PingPongRow& p : c.pingpong) matrix_cells += p.pair.empty() ? 0 : 1;
  if (matrix_cells < c.pingpong.size()) {
    s.paragraphs.push_back("Core-to-core latency: one-way ns, the minimum over samples in each repetition. "
                           "two_line (c2clat's method): each side stores its own line and spins on the other's; "
                           "one_line_cas: both sides CAS one line. The minimum over repetitions is the latency "
                           "(noise only adds); the median shows how often a repetition ran slower (for instance "
                           "in another latency mode).");
    Table t{"Ping-pong one-way latency", {"method", "class", "placement", "PUs", "min ns", "median ns", "reps"}, {}, ""};
    for (const PingPongRow& p : c.pingpong) {
      if (!p.pair.empty()) continue;
      t.rows.push_back({p.method, p.placement_class, p.placement, p.pus.empty() ? "—" : detail::pu_list(p.pus),
                        f::sig(p.one_way_ns.summary.min), f::sig(p.one_way_ns.summary.median),
                        std::to_string(p.one_way_ns.summary.n)});
    }
    s.tables.push_back(std::move(t));
  }
  if (matrix_cells > 0)
    s.bullets.push_back(fmt::format("{} ping-pong matrix cell(s) (pair:A-B rows) are in report.json "
                                    "(calibration.pingpong), not in this table.", matrix_cells));
  return s;
}

Section modes_section(const Report& report) {
  Section s{"modes", "Coherence-latency modes", {}, {}, {}};
  if (report.modes_seen.empty()) {
    s.paragraphs.push_back("No multi-thread row carried coherence probes (probe_before_ns / probe_after_ns).");
    return s;
  }
  s.paragraphs.push_back(
      "Each repetition is probed just before and after it runs (one-way latency between its PUs). Probes "
      "cluster into modes (a new mode where sorted values jump by 1.5× or more). A repetition whose two "
      "probes fall in different modes is unstable. Counts are over multi-thread rows.");
  Table t{"", {"placement", "PUs", "mode", "one-way ns, center [range]", "reps", "share"}, {}, ""};
  for (const ModeGroup& g : report.modes_seen) {
    for (const ModeGroup::Seen& m : g.modes) {
      t.rows.push_back({g.placement, g.pus.empty() ? "—" : detail::pu_list(g.pus), std::to_string(m.id),
                        fmt::format("{} [{}–{}]", f::sig(m.center_ns), f::sig(m.lo_ns), f::sig(m.hi_ns)),
                        std::to_string(m.reps),
                        g.reps ? fmt::format("{:.0f}%", 100.0 * static_cast<double>(m.reps) / static_cast<double>(g.reps)) : "—"});
    }
    t.rows.push_back({g.placement, g.pus.empty() ? "—" : detail::pu_list(g.pus), "unstable", "",
                      std::to_string(g.unstable_reps),
                      g.reps ? fmt::format("{:.0f}%", 100.0 * static_cast<double>(g.unstable_reps) / static_cast<double>(g.reps)) : "—"});
  }
  s.tables.push_back(std::move(t));
  return s;
}

}  // namespace

namespace detail {
std::string workload_text(const Record& r) { return workload_label(r); }
std::string placement_text(const Record& r) { return placement_label(r); }
std::string marker_text(const Record& r) { return markers(r); }
std::string marker_text_legend(const std::vector<const Record*>& shown) { return marker_legend(shown); }
}  // namespace detail

bool folded(const Table& table) { return table.fold || table.rows.size() > kFoldAboveRows; }

std::vector<Section> report_sections(const Report& report) {
  Section caveats{"caveats", "Caveats", {}, {}, report.caveats};
  if (caveats.bullets.empty()) caveats.paragraphs.push_back("None recorded.");
  Section intervals{"intervals", "Every row with its spread", {}, interval_tables(report), {}};
  intervals.paragraphs.push_back(
      "Each row's raw figures as median [p10, p90] over the repetitions used (the spread a reader needs to judge a "
      "difference), with its ratios as the cost tables compute them (\"corrected\": both rows corrected by their "
      "null rows; \"raw\": both raw).");
  std::vector<Section> sections{machine_section(report), main_section(report), std::move(intervals)};
  if (auto real = real_interpreter_section(report)) sections.push_back(std::move(*real));
  for (Section (*make)(const Report&) :
       {scaling_section, details_section, papi_section, calibration_section, modes_section})
    sections.push_back(make(report));
  sections.push_back(std::move(caveats));
  return sections;
}

}  // namespace rcbench::report
