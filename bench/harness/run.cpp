#include "run.hpp"

#include "machine_info.hpp"
#include "progress_reporter.hpp"
#include "refcount_body.hpp"
#include "strategy_dispatch.hpp"

#include "rcbench/topology/topology.hpp"

#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <memory>
#include <regex>
#include <stdexcept>

namespace rcbench::harness {
namespace {

using Body = void (*)(benchmark::State&, Gate&);

Body body_for(const BenchSpec& spec) {
  switch (spec.kind) {
    case BenchKind::overhead: return &overhead_body;
    case BenchKind::pingpong: return &pingpong_body;
    case BenchKind::refcount: break;
  }
  Body body = nullptr;
  const auto base = split_strategy_name(spec.strategy).first;
  with_strategy(base, [&]<class S>() { body = &refcount_body<S>; });
  if (body == nullptr) throw std::invalid_argument("no strategy named " + spec.strategy);
  return body;
}

nlohmann::json describe(const PlannedBenchmark& pb) {
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
  if (s.kind == BenchKind::refcount) {
    j["strategy"] = s.strategy;
    j["workload"] = std::string(to_string(s.workload));
    j["params"] = nlohmann::json::object();
    if (s.workload == Workload::false_sharing) j["params"]["pad"] = s.param;
    if (s.workload == Workload::mixed) j["params"]["shared_pct"] = s.param;
    if (s.strategy.starts_with("deferred_")) j["flush_threshold"] = s.domain.flush_threshold;
    if (s.strategy == "gil_cpython") j["switch_interval_us"] = s.domain.switch_interval_us;
  } else {
    j["what"] = s.kind == BenchKind::overhead ? "overhead" : "pingpong";
    if (s.matrix_cell) j["matrix_cell"] = true;
  }
  if (s.has_probe_partner) j["probe_partner_pu"] = s.probe_partner_pu;
  if (!pb.baseline.empty()) j["baseline"] = pb.baseline;
  if (!pb.baseline_lock.empty()) j["baseline_lock"] = pb.baseline_lock;
  return j;
}

// Google Benchmark reads its flags from argv; we build one.
std::vector<std::string> gbench_args(const RunRequest& r, unsigned reps, double min_time,
                                     bool interleave) {
  std::vector<std::string> a = {
      "rcbench",
      "--benchmark_out=" + r.gbench_json.string(),
      "--benchmark_out_format=json",
      fmt::format("--benchmark_repetitions={}", reps),
      fmt::format("--benchmark_min_time={}", min_time),
      // Keep every repetition: the report computes its own statistics from them.
      "--benchmark_report_aggregates_only=false",
  };
  if (interleave) a.push_back("--benchmark_enable_random_interleaving=true");
  if (!r.filter.empty()) a.push_back("--benchmark_filter=" + r.filter);
  for (const auto& extra : r.benchmark_args) a.push_back(extra);
  return a;
}

}  // namespace

std::vector<PlannedBenchmark> plan_for(const RunRequest& r, const topo::Topology& topo) {
  auto plan = make_plan(find_profile(r.profile), topo, r.overrides);
  if (!r.filter.empty()) {
    // The same regex Google Benchmark applies, so the count and estimate are right.
    const std::regex re(r.filter);
    std::erase_if(plan, [&](const PlannedBenchmark& pb) {
      return !std::regex_search(pb.spec.run_name(), re);
    });
  }
  return plan;
}

double estimate_seconds(const std::vector<PlannedBenchmark>& plan, unsigned repetitions,
                        double min_time_s) {
  // Per benchmark: the repetitions, Google Benchmark's iteration probing (about one
  // more min_time), and a fixed cost per run for threads, pinning and probes.
  constexpr double kPerRun = 0.0015;
  constexpr double kProbingRuns = 6;
  const double per = (repetitions + 1.2) * min_time_s * 1.15 + (repetitions + kProbingRuns) * kPerRun;
  return per * static_cast<double>(plan.size());
}

RunRecord run_plan(const RunRequest& r, const std::vector<PlannedBenchmark>& plan,
                   const Runtime& rt) {
  const Profile& profile = find_profile(r.profile);
  const unsigned reps = r.repetitions.value_or(profile.repetitions);
  const double min_time = r.min_time_s.value_or(profile.min_time_s);

  std::vector<std::shared_ptr<Gate>> gates;
  for (const auto& pb : plan) {
    auto gate = std::make_shared<Gate>(pb.spec, &rt);
    const Body body = body_for(pb.spec);
    benchmark::RegisterBenchmark(pb.spec.family_name().c_str(),
                                 [gate, body](benchmark::State& st) { body(st, *gate); })
        ->Threads(pb.spec.threads())
        ->UseRealTime();
    gates.push_back(std::move(gate));
  }

  auto args = gbench_args(r, reps, min_time, profile.interleave);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());
  if (argc > 1) throw std::invalid_argument(fmt::format("unknown benchmark flag: {}", argv[1]));

  RunRecord record;
  nlohmann::json benchmarks = nlohmann::json::array();
  for (const auto& pb : plan) benchmarks.push_back(describe(pb));
  record.rcbench = {
      {"format", "rcbench-run"},
      {"format_version", 1},
      {"profile", r.profile},
      {"repetitions", reps},
      {"min_time_s", min_time},
      {"interleaved", profile.interleave},
      {"machine", machine_facts()},
      {"build", build_facts()},
      {"benchmarks", benchmarks},
      {"environment", {{"start", environment_snapshot()}}},
  };
  if (rt.slowdown.percent > 0)
    record.rcbench["injected_slowdown"] = {{"strategy", rt.slowdown.strategy},
                                           {"percent", rt.slowdown.percent}};

  ProgressReporter progress(plan.size(), stdout);
  benchmark::RunSpecifiedBenchmarks(&progress);
  benchmark::ClearRegisteredBenchmarks();
  benchmark::Shutdown();
  record.rcbench["environment"]["end"] = environment_snapshot();
  record.errors = progress.errors();
  return record;
}

}  // namespace rcbench::harness
