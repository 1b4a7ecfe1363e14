// `rcbench run`: the suite. Plans from the profile and this machine's topology,
// runs on Google Benchmark with pinned threads, and writes one run JSON
// (docs/run-format.md) atomically: a temporary file renamed into place, never a
// partial or overwritten result.
#include "commands.hpp"
#include "output_file.hpp"

#include "run.hpp"

#include "perf/thread_counters.hpp"
#include "rcbench/topology/json.hpp"
#include "rcbench/topology/topology.hpp"
#include "run/run_json.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <ctime>
#include <fstream>
#include <sstream>

namespace rcbench::cli {
namespace {

struct RunFlags {
  std::string profile = "default";
  std::string out;
  bool force = false;
  std::vector<std::string> strategies, workloads;
  std::vector<unsigned> threads;
  std::optional<unsigned> repetitions;
  std::optional<double> min_time;
  std::string filter;
  std::vector<std::string> events;
  std::string events_file;
  bool no_counters = false;
  bool no_probes = false;
  bool list = false;
  std::uint32_t switch_interval_us = 5000;
  std::vector<std::string> passthrough;  // --benchmark_* flags for Google Benchmark
};

std::string utc_stamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

harness::InjectedSlowdown slowdown_from_environment() {
  const char* v = std::getenv("RCBENCH_INJECT_SLOWDOWN");
  if (v == nullptr || *v == '\0') return {};
  const std::string s(v);
  const auto colon = s.find(':');
  harness::InjectedSlowdown inj;
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no ':'");
    inj.strategy = s.substr(0, colon);
    inj.percent = static_cast<unsigned>(std::stoul(s.substr(colon + 1)));
    harness::split_strategy_name(inj.strategy);
    // The handoff batch grows by the same share; keep it inside its ring.
    if (inj.percent < 1 || inj.percent > 300) throw std::invalid_argument("percent must be 1..300");
  } catch (const std::exception& e) {
    throw CommandExit(kUsageError, fmt::format("RCBENCH_INJECT_SLOWDOWN='{}': expected "
                                               "<strategy>:<percent> ({})", s, e.what()));
  }
  return inj;
}

perf::EventSelection select_events(const RunFlags& f) {
  // --events, then --events-file, then RCBENCH_EVENTS, then the machine's defaults.
  std::optional<std::string> flag;
  if (!f.events.empty()) {
    std::string joined;
    for (const auto& e : f.events) joined += (joined.empty() ? "" : ",") + e;
    flag = joined;
  }
  std::optional<std::filesystem::path> file;
  if (!f.events_file.empty()) file = f.events_file;
  return perf::EventSelection::from_user_choice(flag, file);
}

// The sampled core-to-core matrix (full profile) as one object for the report's
// heat map: one-way latency in ns, the minimum over repetitions of each pair's
// ping-pong row (each already a minimum over batches), null where not sampled.
nlohmann::json pingpong_matrix(const nlohmann::json& benchmarks) {
  constexpr std::string_view kPrefix = "calibration/pingpong/pair:";
  std::map<std::pair<unsigned, unsigned>, double> best;
  for (const auto& b : benchmarks) {
    const std::string name = b.value("run_name", "");
    if (!name.starts_with(kPrefix) || b.value("run_type", "") != "iteration") continue;
    if (!b.contains("pingpong_ns") || !b["pingpong_ns"].is_number()) continue;
    unsigned a = 0, c = 0;
    if (std::sscanf(name.c_str() + kPrefix.size(), "%u-%u", &a, &c) != 2) continue;
    const double ns = b["pingpong_ns"].get<double>();
    auto [it, fresh] = best.try_emplace({a, c}, ns);
    if (!fresh) it->second = std::min(it->second, ns);
  }
  if (best.empty()) return nullptr;
  std::vector<unsigned> pus;
  for (const auto& [pair, ns] : best) {
    pus.push_back(pair.first);
    pus.push_back(pair.second);
  }
  std::sort(pus.begin(), pus.end());
  pus.erase(std::unique(pus.begin(), pus.end()), pus.end());
  auto index = [&pus](unsigned pu) {
    return static_cast<std::size_t>(std::lower_bound(pus.begin(), pus.end(), pu) - pus.begin());
  };
  nlohmann::json m = nlohmann::json::array();
  for (std::size_t i = 0; i < pus.size(); ++i) m.push_back(std::vector<nlohmann::json>(pus.size(), nullptr));
  for (const auto& [pair, ns] : best) {
    m[index(pair.first)][index(pair.second)] = ns;
    m[index(pair.second)][index(pair.first)] = ns;
  }
  return {{"pus", pus}, {"one_way_ns", m},
          {"statistic", "min over repetitions of min over batches of round trip / 2"}};
}

void print_plan(const std::vector<harness::PlannedBenchmark>& plan) {
  for (const auto& pb : plan) {
    std::string pus;
    for (unsigned p : pb.spec.pus) pus += (pus.empty() ? "" : ",") + std::to_string(p);
    fmt::print("{:<70} PUs {:<12} class {}\n", pb.spec.run_name(), pus, pb.spec.placement_class);
  }
}

void run(const RunFlags& f, const std::string& command_line) {
  auto topology = topo::Topology::this_system();
  harness::RunRequest req;
  req.profile = f.profile;
  req.overrides = {f.strategies, f.workloads, f.threads, f.switch_interval_us};
  req.repetitions = f.repetitions;
  req.min_time_s = f.min_time;
  req.filter = f.filter;
  req.probes = !f.no_probes;
  req.slowdown = slowdown_from_environment();
  req.benchmark_args = f.passthrough;

  std::vector<harness::PlannedBenchmark> plan;
  try {
    plan = harness::plan_for(req, topology);
  } catch (const std::exception& e) {
    throw CommandExit(kUsageError, e.what());
  }
  if (plan.empty()) throw CommandExit(kUsageError, "nothing to run: the filter matches no benchmark");
  if (f.list) {
    print_plan(plan);
    return;
  }

  const auto& profile = harness::find_profile(f.profile);
  const unsigned reps = f.repetitions.value_or(profile.repetitions);
  const double min_time = f.min_time.value_or(profile.min_time_s);
  if (reps == 0) throw CommandExit(kUsageError, "--repetitions must be at least 1");

  const std::filesystem::path out =
      f.out.empty() ? std::filesystem::path(fmt::format("rcbench-{}-{}.json", f.profile, utc_stamp()))
                    : std::filesystem::path(f.out);
  OutputFile output(out, f.force);  // refuses an existing file, checks the folder is writable

  std::optional<perf::EventSelection> events;
  if (!f.no_counters) {
    try {
      events = select_events(f);
    } catch (const CommandExit&) {
      throw;
    } catch (const std::exception& e) {
      throw CommandExit(kUsageError, e.what());
    }
  }

  const auto summary = topology.summary();
  fmt::print("rcbench run: profile {} ({}), {} benchmarks x {} repetitions, about {:.0f} s\n",
             f.profile, profile.purpose, plan.size(), reps,
             harness::estimate_seconds(plan, reps, min_time));
  fmt::print("  machine: {} PUs allowed ({}) of {}; classes present:", summary.allowed.size(),
             summary.allowed.to_string(), summary.pus);
  for (auto c : summary.classes_present) fmt::print(" {}", topo::to_string(c));
  fmt::print("\n  output: {}\n", out.string());
  if (req.slowdown.percent > 0)
    fmt::print("  TEST ONLY: {} does {}% extra ops (RCBENCH_INJECT_SLOWDOWN)\n",
               req.slowdown.strategy, req.slowdown.percent);
  std::fflush(stdout);

  harness::Runtime rt;
  rt.topology = &topology;
  rt.events = events ? &*events : nullptr;
  rt.slowdown = req.slowdown;
  rt.probes = req.probes;
  req.gbench_json = output.scratch_path(".gbench");

  const auto started = std::chrono::steady_clock::now();
  harness::RunRecord record = harness::run_plan(req, plan, rt);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Google Benchmark's JSON, made strictly valid (its writer prints bare NaN).
  std::ifstream in(req.gbench_json);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(req.gbench_json);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(runjson::sanitize_non_finite(text.str()));
  } catch (const std::exception& e) {
    throw CommandExit(kRuntimeError, fmt::format("Google Benchmark's output did not parse: {}", e.what()));
  }
  record.rcbench["command_line"] = command_line;
  record.rcbench["wall_time_s"] = took;
  record.rcbench["machine"]["topology"] = nlohmann::json(summary);
  record.rcbench["perf"] = events ? events->to_json() : nlohmann::json{{"disabled", true}};
  if (auto matrix = pingpong_matrix(doc["benchmarks"]); !matrix.is_null())
    record.rcbench["calibration"]["pingpong_matrix"] = matrix;
  doc["rcbench"] = record.rcbench;
  output.commit(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");

  fmt::print("rcbench run: {} benchmarks in {:.1f} s -> {}\n", plan.size(), took, out.string());
  if (record.errors > 0)
    throw CommandExit(kRuntimeError, fmt::format("{} benchmark(s) reported errors (see above); "
                                                 "their rows carry error_message in {}",
                                                 record.errors, out.string()));
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run the suite: pinned threads x strategies x workloads x placements, with GIL "
             "baselines; writes one run JSON.");
  std::string profiles;
  for (const auto& p : harness::profiles())
    profiles += fmt::format("\n  {:<8} {} ({} reps, {} s min time)", p.name, p.purpose,
                            p.repetitions, p.min_time_s);
  cmd->footer("Profiles:" + profiles +
              "\nGoogle Benchmark's own --benchmark_* flags are passed through.\n"
              "RCBENCH_INJECT_SLOWDOWN=<strategy>:<percent> (test only) adds work to one strategy.");
  cmd->add_option("--profile", flags->profile, "quick | default | full | gate")
      ->group("What to run")->capture_default_str();
  cmd->add_option("--strategies", flags->strategies, "Only these strategies (comma list)")
      ->delimiter(',')->group("What to run");
  cmd->add_option("--workloads", flags->workloads,
                  "Only these workloads: private, shared, false_sharing:<pad>, handoff, mixed:<pct>")
      ->delimiter(',')->group("What to run");
  cmd->add_option("--threads", flags->threads, "Thread counts (comma list), default 1, 2, 4, ... all")
      ->delimiter(',')->group("What to run");
  cmd->add_option("--filter", flags->filter, "Regex over benchmark names")->group("What to run");
  cmd->add_flag("--list", flags->list, "Print the plan (names, PUs, classes) and exit")
      ->group("What to run");
  cmd->add_option("--repetitions", flags->repetitions, "Repetitions per benchmark")
      ->group("How long");
  cmd->add_option("--min-time", flags->min_time, "Seconds per repetition (at least)")
      ->group("How long");
  cmd->add_option("--switch-interval-us", flags->switch_interval_us,
                  "gil_cpython's switch interval (CPython's default 5000)")
      ->group("How long")->capture_default_str();
  cmd->add_option("--events", flags->events, "Counters to read (PAPI names, comma list)")
      ->delimiter(',')->group("Counters");
  cmd->add_option("--events-file", flags->events_file, "File with one event per line")
      ->group("Counters");
  cmd->add_flag("--no-counters", flags->no_counters, "Read no counters at all")->group("Counters");
  cmd->add_flag("--no-probes", flags->no_probes,
                "Skip the per-repetition coherence probes")->group("Counters");
  cmd->add_option("-o,--out", flags->out, "Run JSON to write (default rcbench-<profile>-<time>.json)")
      ->group("Output");
  cmd->add_flag("--force", flags->force, "Replace an existing output file")->group("Output");
  cmd->allow_extras();
  cmd->callback([flags, cmd] {
    std::string line = "rcbench run";
    for (const auto& r : cmd->remaining()) {
      if (!r.starts_with("--benchmark_"))
        throw CommandExit(kUsageError, "unknown argument '" + r + "' (see rcbench run --help)");
    }
    flags->passthrough = cmd->remaining();
    std::ifstream cmdline("/proc/self/cmdline");
    std::string arg, all;
    while (std::getline(cmdline, arg, '\0')) all += (all.empty() ? "" : " ") + arg;
    run(*flags, all.empty() ? line : all);
  });
}

}  // namespace rcbench::cli
