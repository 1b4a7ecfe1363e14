#include "run.hpp"

#include "catalog.hpp"

#include "machine_info.hpp"
#include "object_memory.hpp"
#include "progress_reporter.hpp"
#include "body_registry.hpp"
#include "pingpong_matrix.hpp"
#include "plan.hpp"

#include "counters/strategies.hpp"
#include "cpython/interpreter_facts.hpp"
#include "tee_reporter.hpp"
#include "workloads/workload.hpp"

#include "perf/event_selection.hpp"
#include "rcbench/topology/json.hpp"
#include "rcbench/topology/topology.hpp"
#include "run/run_json.hpp"

#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace rcbench::harness {
namespace {

bool runs_real_interpreter(std::string_view strategy) {
  if constexpr (counters::kRealInterpreterRows)
    return strategy == counters::kRealEvalName || strategy == counters::kRealReleaseName;
  return false;
}

// Which libpython the real interpreter's rows ran on, and how often they let other
// threads have the GIL; or why the build has no such rows.
nlohmann::json real_interpreter_facts() {
  const cpython::InterpreterFacts& f = cpython::interpreter_facts();
  if (!f.available) return {{"available", false}, {"reason", f.reason}};
  nlohmann::json j = {{"available", true},
                      {"version", f.version},
                      {"version_hex", f.version_hex},
                      {"gil_disabled", f.gil_disabled},
                      {"library", f.library},
                      {"pkg_config", f.pkg_config}};
  if constexpr (counters::kRealInterpreterRows)
    j["eval_every_ops"] = counters::kRealBlocksPerSafePoint * workloads::kOpsPerTimedBlock;
  return j;
}

nlohmann::json describe(const PlannedBenchmark& pb, double min_time_s) {
  const BenchSpec& s = pb.spec;
  nlohmann::json j = {
      {"name", s.run_name()},
      {"kind", s.kind == BenchKind::refcount ? "refcount" : "calibration"},
      {"placement", s.placement},
      {"placement_class", s.placement_class},
      {"pus", s.pus},
      {"threads", s.threads()},
      {"ops_per_iteration", s.ops_per_iteration},
      // Every thread pins itself and a run whose thread was elsewhere is an error,
      // so a row that reached the JSON ran where it says.
      {"pinned", true},
  };
  // Each repetition's planned window: min time, or longer for a GIL row (plan.hpp).
  if (s.kind != BenchKind::pingpong) j["window_s"] = row_window_s(s, min_time_s);
  if (s.kind == BenchKind::refcount) {
    j["strategy"] = s.strategy;
    j["workload"] = std::string(to_string(s.workload));
    j["params"] = nlohmann::json::object();
    if (s.workload == Workload::false_sharing) j["params"]["pad"] = s.param;
    if (s.workload == Workload::mixed) j["params"]["shared_pct"] = s.param;
    if (s.strategy.starts_with("deferred_")) j["flush_threshold"] = s.domain.flush_threshold;
    if (s.strategy == counters::GilCpython::name || runs_real_interpreter(s.strategy))
      j["switch_interval_us"] = s.domain.switch_interval_us;
    if (s.memory != ObjectMemory::unplaced) {
      // What the row asked for; the counters mem_node / mem_node_wanted say, per
      // repetition, where the page was after the window.
      j["mem"] = std::string(to_string(s.memory));
      j["mem_node_wanted"] = s.memory_node;
      j["mem_method"] = std::string(placement_method(s.memory));
    }
  } else {
    j["what"] = s.kind == BenchKind::overhead ? std::string("overhead")
                                              : "pingpong_" + std::string(to_string(s.method));
    if (s.matrix_cell) j["matrix_cell"] = true;
  }
  if (s.has_probe_partner) j["probe_partner_pu"] = s.probe_partner_pu;
  j["role"] = std::string(to_string(pb.role));
  if (!pb.baseline.empty()) j["baseline"] = pb.baseline;
  if (!pb.baseline_lock.empty()) j["baseline_lock"] = pb.baseline_lock;
  if (!pb.baseline_real.empty()) j["baseline_real"] = pb.baseline_real;
  return j;
}

// Google Benchmark reads its flags from argv; we build one. Filtering, outputs and
// aggregates are rcbench's (the tee), so Google Benchmark gets none of those flags.
std::vector<std::string> gbench_args(const RunRequest& r) {
  std::vector<std::string> a = {
      "rcbench",
      fmt::format("--benchmark_repetitions={}", r.repetitions_or_profile()),
      fmt::format("--benchmark_min_time={}", r.min_time_or_profile()),
      // Keep every repetition: the report computes its own statistics from them.
      "--benchmark_report_aggregates_only=false",
      "--benchmark_display_aggregates_only=false",
      fmt::format("--benchmark_enable_random_interleaving={}", r.interleaved()),
  };
  for (const auto& extra : r.gbench.passthrough) a.push_back(extra);
  return a;
}

// A resumed run's document: the earlier sessions' benchmarks first (journal order),
// then this session's, each with the family_index an uninterrupted run gives it; the
// environment as the first session found it; wall time summed over the sessions.
void merge_earlier_sessions(const JournalContents& earlier,
                            const std::unordered_map<std::string, std::size_t>& plan_index,
                            const std::string& journal_path, RunRecord& record, nlohmann::json& rcbench_section) {
  nlohmann::json merged = nlohmann::json::array();
  for (const auto& f : earlier.finished) {
    for (const auto& e : f.entries) {
      // Counted as progress counts this session's: one per errored repetition.
      if (e.value("run_type", "") == "iteration" && e.value("error_occurred", false)) ++record.errors;
      merged.push_back(e);
    }
  }
  for (auto& e : record.document["benchmarks"]) {
    if (const auto it = plan_index.find(e.value("run_name", "")); it != plan_index.end()) e["family_index"] = it->second;
    merged.push_back(std::move(e));
  }
  record.document["benchmarks"] = std::move(merged);

  const unsigned sessions = earlier.last_session() + 1;
  nlohmann::json session_wall = nlohmann::json::array();
  double wall = 0;
  for (unsigned s = 1; s < sessions; ++s) {
    session_wall.push_back(earlier.session_wall_s(s));
    wall += earlier.session_wall_s(s);
  }
  const double this_session = rcbench_section["wall_time_s"].get<double>();
  session_wall.push_back(this_session);
  rcbench_section["wall_time_s"] = wall + this_session;
  for (const auto& s : earlier.sessions)
    if (s.value("session", 0u) == 1 && s.contains("environment")) rcbench_section["environment"]["start"] = s["environment"];
  rcbench_section["resumed"] = {{"journal", journal_path},
                                {"sessions", sessions},
                                {"session_wall_time_s", session_wall},
                                {"benchmarks_from_journal", earlier.finished.size()}};
}

}  // namespace

unsigned RunRequest::repetitions_or_profile() const {
  return repetitions.value_or(find_profile(profile).repetitions);
}
double RunRequest::min_time_or_profile() const { return min_time_s.value_or(find_profile(profile).min_time_s); }
bool RunRequest::interleaved() const { return gbench.interleave.value_or(find_profile(profile).interleave); }

nlohmann::json RunRequest::overrides() const {
  const PlanOverrides& o = selection.overrides;
  nlohmann::json j = nlohmann::json::object();
  if (!o.strategies.empty()) j["strategies"] = o.strategies;
  if (!o.workloads.empty()) j["workloads"] = o.workloads;
  if (!o.thread_counts.empty()) j["threads"] = o.thread_counts;
  if (o.switch_interval_us != PlanOverrides{}.switch_interval_us) j["switch_interval_us"] = o.switch_interval_us;
  if (!selection.filter.empty()) j["filter"] = selection.filter;
  if (!selection.add_baselines) j["no_baselines"] = true;
  if (repetitions) j["repetitions"] = *repetitions;
  if (min_time_s) j["min_time_s"] = *min_time_s;
  if (gbench.interleave) j["interleaved"] = *gbench.interleave;
  if (!probes) j["probes"] = false;
  if (!gbench.passthrough.empty()) j["benchmark_flags"] = gbench.passthrough;
  if (budget_s) j["budget_s"] = *budget_s;
  return j;
}

nlohmann::json plan_identity(const RunRequest& r, const SelectedPlan& selected, const Runtime& rt) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& pb : selected.rows) rows.push_back(describe(pb, r.min_time_or_profile()));
  // The counters each row carries (not the whole rcbench.perf: it also holds
  // diagnostics that need not repeat from one process to the next).
  nlohmann::json counters = nlohmann::json{{"disabled", true}};
  if (rt.events != nullptr)
    counters = {{"counted", rt.events->counted()},
                {"ctx_switches", perf::source_name(rt.events->ctx_switches_source())},
                {"migrations", perf::source_name(rt.events->migrations_source())}};
  const nlohmann::json shaping = {
      {"rows", rows},
      {"repetitions", r.repetitions_or_profile()},
      {"min_time_s", r.min_time_or_profile()},
      {"interleaved", r.interleaved()},
      {"profile", r.profile},
      {"overrides", r.overrides()},
      {"probes", r.probes},
      {"injected_slowdown", {{"strategy", rt.slowdown.strategy}, {"percent", rt.slowdown.percent}}},
      {"counters", counters},
      {"method_version", kMethodVersion},
  };
  return {{"fingerprint", fingerprint(shaping.dump())},
          {"benchmarks", selected.rows.size()},
          {"repetitions", r.repetitions_or_profile()},
          {"min_time_s", r.min_time_or_profile()},
          {"interleaved", r.interleaved()},
          {"profile", r.profile},
          {"overrides", r.overrides()},
          {"counters", counters}};
}

SelectedPlan plan_for(const RunRequest& r, const topo::Topology& topo) {
  SelectedPlan plan = select_plan(find_profile(r.profile), topo, r.selection);
  if (r.budget_s) {
    BudgetTrim trim = trim_to_budget(plan.rows, r.repetitions_or_profile(), r.min_time_or_profile(), *r.budget_s);
    plan.rows = std::move(trim.kept);
    plan.budget = std::move(trim.record);
  }
  return plan;
}

nlohmann::json to_json(const BudgetRecord& b) {
  nlohmann::json dropped = nlohmann::json::array();
  for (const auto& d : b.dropped)
    dropped.push_back({{"category", std::string(to_string(d.category))}, {"count", d.names.size()}, {"names", d.names}});
  return {{"budget_s", b.budget_s},
          {"estimate_before_s", b.estimate_before_s},
          {"estimate_after_s", b.estimate_after_s},
          {"dropped", dropped}};
}

RunRecord run_plan(const RunRequest& r, const SelectedPlan& selected, const Runtime& rt,
                   const RunStreams& streams, const JournalSession* journal) {
  const std::vector<PlannedBenchmark>& plan = selected.rows;
  const JournalContents* earlier = journal != nullptr ? journal->earlier : nullptr;
  // Row name -> its place in the plan: Google Benchmark's family_index in an
  // uninterrupted run, where every row is registered.
  std::unordered_map<std::string, std::size_t> plan_index;
  for (std::size_t i = 0; i < plan.size(); ++i) plan_index.emplace(plan[i].spec.run_name(), i);
  std::unordered_set<std::string> finished_before;
  if (earlier != nullptr) {
    for (const auto& f : earlier->finished) {
      if (!plan_index.contains(f.name))
        throw std::invalid_argument(fmt::format("the journal has benchmark '{}', which is not in the plan", f.name));
      finished_before.insert(f.name);
    }
  }
  std::vector<std::shared_ptr<Rendezvous>> meetings;
  Runtime timed = rt;
  timed.window_s = r.min_time_or_profile();
  for (const auto& pb : plan) {
    if (finished_before.contains(pb.spec.run_name())) continue;  // journaled by an earlier session
    auto meet = std::make_shared<Rendezvous>(pb.spec, &timed);
    const Body body = body_for(pb.spec, timed);
    auto* b = benchmark::RegisterBenchmark(pb.spec.family_name().c_str(),
                                           [meet, body](benchmark::State& st) { body(st, *meet); })
                  ->Threads(pb.spec.threads());
    // A timed row is one window per repetition (the body times it); a ping-pong
    // iteration is a batch of round trips, timed and counted by Google Benchmark.
    if (pb.spec.kind == BenchKind::pingpong)
      b->UseRealTime();
    else
      b->UseManualTime()->Iterations(1);
    meetings.push_back(std::move(meet));
  }

  auto args = gbench_args(r);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());
  if (argc > 1) throw std::invalid_argument(fmt::format("unknown benchmark flag: {}", argv[1]));

  const auto started = std::chrono::steady_clock::now();
  nlohmann::json rcbench_section;
  nlohmann::json benchmarks = nlohmann::json::array();
  for (const auto& pb : plan) benchmarks.push_back(describe(pb, r.min_time_or_profile()));
  const nlohmann::json overrides = r.overrides();
  rcbench_section = {
      {"format", "rcbench-run"},
      {"format_version", 1},
      // 2: one time window per repetition, blocks expanded at compile time, overhead
      // rows at every placement (issue 14). Runs of different methods do not compare.
      {"method_version", kMethodVersion},
      {"probe_method", "two_line"},
      {"profile", overrides.empty() ? r.profile : "custom"},
      {"repetitions", r.repetitions_or_profile()},
      {"min_time_s", r.min_time_or_profile()},
      {"interleaved", r.interleaved()},
      {"no_baselines", !r.selection.add_baselines},
      {"real_time_per", "op"},
      {"machine", machine_facts()},
      {"build", build_facts()},
      {"cpython", real_interpreter_facts()},
      // Names, order and roles of the run's strategies and workloads: what every
      // reader above bench/ learns them from (catalog.hpp).
      {"catalog", run_catalog(plan)},
      {"benchmarks", benchmarks},
      {"environment", {{"start", environment_snapshot()}}},
  };
  if (!overrides.empty()) {
    rcbench_section["base_profile"] = r.profile;
    rcbench_section["overrides"] = overrides;
  }
  if (selected.budget) rcbench_section["budget"] = to_json(*selected.budget);
  if (rt.slowdown.percent > 0)
    rcbench_section["injected_slowdown"] = {{"strategy", rt.slowdown.strategy},
                                           {"percent", rt.slowdown.percent}};

  TeeReporter tee;
  ProgressReporter progress(plan.size(), streams.progress, finished_before.size());
  tee.add(progress, false);
  std::optional<JournalReporter> journaled;
  if (journal != nullptr && journal->writer != nullptr) {
    journaled.emplace(*journal->writer, r.repetitions_or_profile(), journal->session, started,
                      journal->first_journaled);
    tee.add(*journaled, false);
  }
  // Google Benchmark's JSON stays in memory; it becomes the document's benchmarks.
  std::ostringstream gbench_json;
  benchmark::JSONReporter run_json;
  run_json.SetOutputStream(&gbench_json);
  run_json.SetErrorStream(&gbench_json);
  tee.add(run_json, false);
  const GbenchFlags& g = r.gbench;
  std::unique_ptr<benchmark::BenchmarkReporter> console, file;
  if (!g.format.empty()) {
    console = make_gbench_reporter(g.format, g.color, g.counters_tabular);
    tee.add(*console, g.display_aggregates_only || g.report_aggregates_only);
  }
  if (streams.gbench_out != nullptr) {
    file = make_gbench_reporter(g.out_format, false, g.counters_tabular);
    file->SetOutputStream(streams.gbench_out);
    file->SetErrorStream(streams.gbench_out);
    tee.add(*file, g.report_aggregates_only);
  }
  // Nothing left when a kill came after the last benchmark was journaled.
  const bool anything_to_run = finished_before.size() < plan.size();
  if (anything_to_run) benchmark::RunSpecifiedBenchmarks(&tee);
  benchmark::ClearRegisteredBenchmarks();
  benchmark::Shutdown();
  rcbench_section["environment"]["end"] = environment_snapshot();
  rcbench_section["wall_time_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  RunRecord record;
  record.errors = progress.errors();
  try {
    // Strictly valid JSON: Google Benchmark's writer prints a NaN counter bare.
    if (anything_to_run)
      record.document = nlohmann::json::parse(runjson::sanitize_non_finite(gbench_json.str()));
    else
      record.document = {{"context", earlier->last_context}, {"benchmarks", nlohmann::json::array()}};
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(fmt::format("Google Benchmark's output did not parse: {}", e.what()));
  }
  if (earlier != nullptr) merge_earlier_sessions(*earlier, plan_index, journal->journal, record, rcbench_section);
  rcbench_section["command_line"] = r.command_line;
  if (rt.topology != nullptr) rcbench_section["machine"]["topology"] = nlohmann::json(rt.topology->summary());
  rcbench_section["perf"] = rt.events != nullptr ? rt.events->to_json() : nlohmann::json{{"disabled", true}};
  if (auto matrix = pingpong_matrix(record.document["benchmarks"]); !matrix.is_null())
    rcbench_section["calibration"]["pingpong_matrix"] = matrix;
  record.document["rcbench"] = std::move(rcbench_section);
  return record;
}

}  // namespace rcbench::harness
