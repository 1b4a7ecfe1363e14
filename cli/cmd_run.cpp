// `rcbench run`: the suite. Plans from the profile and this machine's topology,
// runs on Google Benchmark with pinned threads, and writes one run JSON
// (docs/run-format.md) atomically: a temporary file renamed into place, never a
// partial or overwritten result. While it runs, every finished benchmark goes to
// <out>.journal, so that `rcbench run --resume <out>.journal` finishes a run that was
// killed (journal.hpp).
#include "commands.hpp"
#include "comma_list.hpp"
#include "output_file.hpp"
#include "this_system.hpp"

#include "journal.hpp"
#include "limits.hpp"
#include "machine_info.hpp"
#include "run.hpp"

#include "perf/thread_counters.hpp"
#include "rcbench/io/signal_cleanup.hpp"
#include "rcbench/topology/json.hpp"
#include "rcbench/topology/topology.hpp"
#include "run/run_json.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

namespace rcbench::cli {
namespace {

// As typed: numbers stay text until limits.hpp checks them, so every bad number gets
// the same message (the flag and its range) whatever CLI11 would have made of it.
struct RunFlags {
  std::string profile = "default";
  std::string out;
  bool force = false;
  std::vector<std::string> strategies, workloads, threads;
  std::optional<std::string> repetitions, min_time, switch_interval_us, filter, budget;
  std::vector<std::string> events;
  std::string events_file;
  bool no_counters = false;
  bool no_probes = false;
  bool no_baselines = false;
  bool list = false;
  std::vector<std::string> passthrough;  // --benchmark_* flags (gbench_flags.hpp)
  std::string resume;                    // --resume JOURNAL: every other flag from its header
};

// The flags as the journal's header records them: what --resume plans from, so the
// resumed session runs the plan the first one did (list is never journaled).
nlohmann::json flags_to_json(const RunFlags& f) {
  auto opt = [](const std::optional<std::string>& o) { return o ? nlohmann::json(*o) : nlohmann::json(); };
  return {{"profile", f.profile},         {"out", f.out},
          {"force", f.force},             {"strategies", f.strategies},
          {"workloads", f.workloads},     {"threads", f.threads},
          {"repetitions", opt(f.repetitions)}, {"min_time", opt(f.min_time)},
          {"switch_interval_us", opt(f.switch_interval_us)}, {"filter", opt(f.filter)},
          {"budget", opt(f.budget)},      {"events", f.events},
          {"events_file", f.events_file}, {"no_counters", f.no_counters},
          {"no_probes", f.no_probes},     {"no_baselines", f.no_baselines},
          {"passthrough", f.passthrough}};
}

RunFlags flags_from_json(const nlohmann::json& j) {
  auto opt = [&](const char* key) {
    const nlohmann::json& v = j.at(key);
    return v.is_null() ? std::optional<std::string>() : std::optional<std::string>(v.get<std::string>());
  };
  RunFlags f;
  f.profile = j.at("profile").get<std::string>();
  f.out = j.at("out").get<std::string>();
  f.force = j.at("force").get<bool>();
  f.strategies = j.at("strategies").get<std::vector<std::string>>();
  f.workloads = j.at("workloads").get<std::vector<std::string>>();
  f.threads = j.at("threads").get<std::vector<std::string>>();
  f.repetitions = opt("repetitions");
  f.min_time = opt("min_time");
  f.switch_interval_us = opt("switch_interval_us");
  f.filter = opt("filter");
  f.budget = opt("budget");
  f.events = j.at("events").get<std::vector<std::string>>();
  f.events_file = j.at("events_file").get<std::string>();
  f.no_counters = j.at("no_counters").get<bool>();
  f.no_probes = j.at("no_probes").get<bool>();
  f.no_baselines = j.at("no_baselines").get<bool>();
  f.passthrough = j.at("passthrough").get<std::vector<std::string>>();
  return f;
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

// Thread i runs on the i-th PU, so the order is kept; runs of consecutive PUs in that
// order print as "a-b" ("0-95,192-287", not 1,400 characters for a 384-PU row).
std::string pus_in_thread_order(const std::vector<unsigned>& pus) {
  std::string out;
  for (std::size_t i = 0; i < pus.size();) {
    std::size_t j = i;
    while (j + 1 < pus.size() && pus[j + 1] == pus[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + (j >= i + 2 ? fmt::format("{}-{}", pus[i], pus[j])
                                                  : fmt::format("{}", pus[i]));
    if (j == i + 1) out += fmt::format(",{}", pus[j]);
    i = j + 1;
  }
  return out;
}

void print_plan(const std::vector<harness::PlannedBenchmark>& plan) {
  for (const auto& pb : plan) {
    const std::string pus = pus_in_thread_order(pb.spec.pus);
    const std::string why = pb.role == harness::Role::selected ? "" : std::string(harness::to_string(pb.role));
    fmt::print("{:<70} PUs {:<12} class {:<8} {}\n", pb.spec.run_name(), pus, pb.spec.placement_class, why);
  }
}

// "9 benchmarks (2 selected + 6 baseline rows + 1 reference row)": what a subset added.
std::string plan_counts(const harness::SelectedPlan& p) {
  std::string s = fmt::format("{} benchmarks", p.rows.size());
  const auto selected = p.count(harness::Role::selected);
  if (selected == p.rows.size()) return s;
  const auto baselines = p.count(harness::Role::baseline);
  const auto references = p.count(harness::Role::reference);
  s += fmt::format(" ({} selected", selected);
  if (baselines > 0) s += fmt::format(" + {} baseline row{}", baselines, baselines == 1 ? "" : "s");
  if (references > 0) s += fmt::format(" + {} reference row{}", references, references == 1 ? "" : "s");
  return s + ")";
}

// "budget 1200 s: estimate 3700 s -> 1190 s, dropped 800 rows (scatter 100, matrix 64)",
// or that the plan fits.
std::string budget_line(const harness::BudgetRecord& b) {
  auto secs = [](double s) { return s < 10 ? fmt::format("{:.1f}", s) : fmt::format("{:.0f}", s); };
  if (!b.trimmed())
    return fmt::format("budget {:g} s: the plan fits (about {} s), nothing dropped", b.budget_s,
                       secs(b.estimate_before_s));
  std::string per;
  for (const auto& d : b.dropped)
    per += fmt::format("{}{} {}", per.empty() ? "" : ", ", harness::to_string(d.category), d.names.size());
  return fmt::format("budget {:g} s: estimate {} s -> {} s, dropped {} rows ({})", b.budget_s,
                     secs(b.estimate_before_s), secs(b.estimate_after_s), b.dropped_count(), per);
}

// "quick" or "custom (quick; strategies, workloads overridden)".
std::string profile_label(const harness::RunRequest& req) {
  const auto overrides = req.overrides();
  if (overrides.empty()) return req.profile;
  std::string keys;
  for (const auto& [key, value] : overrides.items()) keys += (keys.empty() ? "" : ", ") + key;
  return fmt::format("custom ({} with {} overridden)", req.profile, keys);
}

// One flag, or its Google Benchmark spelling, never both.
template <class T>
std::optional<T> one_of(const char* ours, std::optional<T> a, const char* theirs, std::optional<T> b) {
  if (a && b) throw CommandExit(kUsageError, fmt::format("{} and {} set the same thing: give one", ours, theirs));
  return a ? a : b;
}

harness::RunRequest request_from(const RunFlags& f) {
  namespace limits = harness::limits;
  harness::RunRequest req;
  try {
    harness::find_profile(f.profile);
    req.profile = f.profile;
    req.gbench = harness::parse_gbench_flags(f.passthrough);
    auto& o = req.selection.overrides;
    o.strategies = f.strategies;
    o.workloads = f.workloads;
    for (const auto& t : f.threads) o.thread_counts.push_back(limits::parse_count("--threads", t, 1, limits::kMaxThreads));
    if (f.switch_interval_us)
      o.switch_interval_us = limits::parse_count("--switch-interval-us", *f.switch_interval_us, 1, limits::kMaxSwitchIntervalUs);
    std::optional<unsigned> reps;
    if (f.repetitions) reps = limits::parse_count("--repetitions", *f.repetitions, 1, limits::kMaxRepetitions);
    std::optional<double> min_time;
    if (f.min_time) min_time = limits::parse_seconds("--min-time", *f.min_time, limits::kMaxMinTimeS);
    req.repetitions = one_of("--repetitions", reps, "--benchmark_repetitions", req.gbench.repetitions);
    req.min_time_s = one_of("--min-time", min_time, "--benchmark_min_time", req.gbench.min_time_s);
    req.selection.filter = one_of("--filter", f.filter, "--benchmark_filter", req.gbench.filter).value_or("");
    req.selection.add_baselines = !f.no_baselines;
    if (f.budget) req.budget_s = limits::parse_duration("--budget", *f.budget, limits::kMaxBudgetS);
  } catch (const std::invalid_argument& e) {
    throw CommandExit(kUsageError, e.what());
  }
  req.probes = !f.no_probes;
  req.slowdown = slowdown_from_environment();
  return req;
}

// A resumed run: the journal read, and the path the user gave.
struct Resume {
  harness::JournalContents earlier;
  std::filesystem::path journal;
};

void run(const RunFlags& f, const std::string& command_line, const Resume* resume = nullptr) {
  auto topology = topo::Topology::this_system();
  const harness::RunRequest req = [&] {
    harness::RunRequest r = request_from(f);
    r.command_line = command_line;
    return r;
  }();

  harness::SelectedPlan plan;
  try {
    plan = harness::plan_for(req, topology);
  } catch (const std::exception& e) {
    throw CommandExit(kUsageError, e.what());
  }
  for (const auto& w : plan.warnings) fmt::print(stderr, "rcbench run: warning: {}\n", w);
  // Calibration rows alone are a run only when a filter asked for them.
  const bool refcount_selected = std::any_of(plan.rows.begin(), plan.rows.end(), [](const auto& pb) {
    return pb.role == harness::Role::selected && pb.spec.kind == harness::BenchKind::refcount;
  });
  if (plan.count(harness::Role::selected) == 0 || (!refcount_selected && req.selection.filter.empty()))
    throw CommandExit(kUsageError, req.selection.filter.empty()
                                       ? "nothing to run: no benchmark matches the selection"
                                       : "nothing to run: the filter matches no benchmark");
  const unsigned reps = req.repetitions_or_profile();
  const double min_time = req.min_time_or_profile();
  const double estimate = harness::estimate_seconds(plan.rows, reps, min_time);
  if (req.gbench.list_tests) {  // Google Benchmark's listing: the names, one per line
    for (const auto& pb : plan.rows) fmt::print("{}\n", pb.spec.run_name());
    return;
  }
  if (f.list) {
    print_plan(plan.rows);
    if (plan.budget) fmt::print("{}\n", budget_line(*plan.budget));
    fmt::print("{} x {} repetitions, about {:.0f} s (profile {})\n", plan_counts(plan), reps, estimate,
               profile_label(req));
    return;
  }
  refuse_other_topology(topology, "run");

  const std::filesystem::path out =
      f.out.empty() ? std::filesystem::path(fmt::format("rcbench-{}-{}.json", f.profile, utc_stamp()))
                    : std::filesystem::path(f.out);
  const std::filesystem::path journal_path = harness::journal_path_for(out);
  if (resume == nullptr && std::filesystem::symlink_status(journal_path).type() != std::filesystem::file_type::not_found)
    throw CommandExit(kUsageError,
                      fmt::format("{} exists: the journal of an interrupted run of this output. Continue that run "
                                  "with `rcbench run --resume {}`, or delete the journal to start over (--force "
                                  "replaces the output, never a journal)",
                                  journal_path.string(), journal_path.string()));
  OutputFile output(out, f.force);  // refuses an existing file, checks the folder is writable
  std::optional<OutputFile> gbench_output;
  if (!req.gbench.out.empty()) {
    if (std::filesystem::weakly_canonical(req.gbench.out) == std::filesystem::weakly_canonical(out))
      throw CommandExit(kUsageError, "--benchmark_out names the run JSON's own file: give it another name");
    gbench_output.emplace(req.gbench.out, f.force);
  }

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

  // With a Google Benchmark console format, stdout is that format's alone.
  std::FILE* info = req.gbench.format.empty() ? stdout : stderr;
  const auto summary = topology.summary();
  fmt::print(info, "rcbench run: profile {} ({}), {} x {} repetitions, about {:.0f} s\n",
             profile_label(req), harness::find_profile(req.profile).purpose, plan_counts(plan), reps, estimate);
  fmt::print(info, "  machine: {} PUs allowed ({}) of {}; classes present:", summary.allowed.size(),
             summary.allowed.to_string(), summary.pus);
  for (auto c : summary.classes_present) fmt::print(info, " {}", topo::to_string(c));
  fmt::print(info, "\n  output: {}{}\n", out.string(),
             gbench_output ? fmt::format(", Google Benchmark's {} in {}", req.gbench.out_format, req.gbench.out) : "");
  if (resume == nullptr)
    fmt::print(info, "  journal: {} (if the run is stopped: rcbench run --resume {})\n", journal_path.string(),
               journal_path.string());
  if (plan.budget) fmt::print(info, "  {}\n", budget_line(*plan.budget));
  if (!req.selection.add_baselines) fmt::print(info, "  --no-baselines: rows without their GIL baselines (report shows no ratios)\n");
  if (req.slowdown.percent > 0)
    fmt::print(info, "  TEST ONLY: {} does {}% extra ops (RCBENCH_INJECT_SLOWDOWN)\n",
               req.slowdown.strategy, req.slowdown.percent);
  std::fflush(info);

  harness::Runtime rt;
  rt.topology = &topology;
  rt.events = events ? &*events : nullptr;
  rt.slowdown = req.slowdown;
  rt.probes = req.probes;

  // The journal: its header says what a resume must find unchanged and how to re-plan.
  RunFlags recorded = f;
  recorded.out = std::filesystem::absolute(out).string();
  if (!recorded.events_file.empty()) recorded.events_file = std::filesystem::absolute(recorded.events_file).string();
  const nlohmann::json header = {
      {"format", harness::kJournalFormat},
      {"version", harness::kJournalVersion},
      {"binary", harness::binary_identity()},
      {"plan", harness::plan_identity(req, plan, rt)},
      {"machine", harness::machine_identity(nlohmann::json(summary))},
      {"flags", flags_to_json(recorded)},
      {"command_line", command_line},
      {"output", recorded.out},
  };
  std::optional<harness::JournalWriter> writer;
  harness::JournalSession session;
  if (resume != nullptr) {
    const auto changed = harness::identity_mismatches(resume->earlier.header, header);
    if (!changed.empty()) {
      std::string lines;
      for (const auto& c : changed) lines += "\n  " + c;
      throw CommandExit(kUsageError, fmt::format("--resume {}: cannot resume, the binary, plan or machine changed "
                                                 "since the journal was written:{}\nDelete the journal to run "
                                                 "again from the start.",
                                                 resume->journal.string(), lines));
    }
    session.session = resume->earlier.last_session() + 1;
    session.earlier = &resume->earlier;
    session.journal = journal_path.string();
  }
  try {
    writer.emplace(resume != nullptr ? harness::JournalWriter::append(journal_path, resume->earlier.valid_bytes)
                                     : harness::JournalWriter::create(journal_path, header));
    std::string this_command = command_line;
    if (resume != nullptr) this_command = fmt::format("rcbench run --resume {}", resume->journal.string());
    writer->write({{"session", session.session},
                   {"environment", harness::environment_snapshot()},
                   {"command_line", this_command}});
  } catch (const harness::JournalError& e) {
    throw CommandExit(kRuntimeError, e.what());
  }
  session.writer = &*writer;
  // Interrupted (or failed) before its first benchmark is journaled, a fresh run has
  // nothing to resume: the journal goes with the other partial files. After that it is
  // the checkpoint.
  bool journal_holds_work = resume != nullptr;
  if (resume == nullptr) {
    io::remove_on_signal(journal_path);
    session.first_journaled = [journal_path, &journal_holds_work] {
      journal_holds_work = true;
      io::forget_on_signal(journal_path);
      io::note_resumable(journal_path);
    };
  } else {
    io::note_resumable(journal_path);
  }
  if (resume != nullptr)
    fmt::print(info, "  resuming: session {}, {} of {} benchmarks done in the journal {}\n", session.session,
               resume->earlier.finished.size(), plan.rows.size(), journal_path.string());
  std::fflush(info);

  // The harness writes the whole run JSON; Google Benchmark's --benchmark_out stays in memory
  // until the run is done, so no scratch file is planted or left behind.
  std::ostringstream gbench_file;
  const harness::RunRecord record = [&] {
    try {
      return harness::run_plan(req, plan, rt, {info, gbench_output ? &gbench_file : nullptr}, &session);
    } catch (...) {
      if (!journal_holds_work) {
        writer.reset();
        std::error_code ignored;
        std::filesystem::remove(journal_path, ignored);
        io::forget_on_signal(journal_path);
      }
      throw;
    }
  }();
  const double took = record.document["rcbench"]["wall_time_s"].get<double>();
  output.commit(record.document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  // Only now that the run JSON is in place is the journal no longer needed.
  writer.reset();
  std::error_code removed;
  std::filesystem::remove(journal_path, removed);
  io::forget_on_signal(journal_path);
  if (removed) fmt::print(stderr, "rcbench run: warning: could not delete {}: {}\n", journal_path.string(), removed.message());
  if (gbench_output) {
    const std::string text = gbench_file.str();
    gbench_output->commit(req.gbench.out_format == "json" ? runjson::sanitize_non_finite(text) : text);
  }

  fmt::print(info, "rcbench run: {} benchmarks in {:.1f} s -> {}{}\n", plan.rows.size(), took, out.string(),
             gbench_output ? " and " + req.gbench.out : "");
  if (record.errors > 0)
    throw CommandExit(kRuntimeError, fmt::format("{} benchmark(s) reported errors (see above); "
                                                 "their rows carry error_message in {}",
                                                 record.errors, out.string()));
}

// `rcbench run --resume JOURNAL`: the flags, the output and the command line are the
// journal's; run() checks the binary, plan and machine against it.
void resume_run(const std::string& journal) {
  Resume r;
  r.journal = journal;
  RunFlags f;
  try {
    r.earlier = harness::read_journal(journal);
    f = flags_from_json(r.earlier.header.at("flags"));
    if (r.earlier.header.at("output").get<std::string>() != f.out)
      throw harness::JournalError("its header names two different outputs");
  } catch (const harness::JournalError& e) {
    throw CommandExit(kUsageError, fmt::format("--resume: {}", e.what()));
  } catch (const nlohmann::json::exception& e) {
    throw CommandExit(kUsageError, fmt::format("--resume {}: the header's flags are unreadable ({})", journal, e.what()));
  }
  const auto expected = harness::journal_path_for(f.out);
  if (std::filesystem::weakly_canonical(journal) != std::filesystem::weakly_canonical(expected))
    throw CommandExit(kUsageError, fmt::format("--resume {}: this journal belongs to the output {}, whose journal is "
                                               "{}; resume it under that name",
                                               journal, f.out, expected.string()));
  // Stopped between the rename and the journal's removal, the run is complete.
  if (!f.force && std::filesystem::symlink_status(f.out).type() != std::filesystem::file_type::not_found)
    throw CommandExit(kUsageError, fmt::format("--resume {}: {} exists, and results are never overwritten. If it "
                                               "is this run's result (stopped before its journal was deleted), "
                                               "delete the journal; otherwise move the file away and resume",
                                               journal, f.out));
  for (const auto& p : f.passthrough)
    if (p.starts_with("--benchmark_out="))
      throw CommandExit(kUsageError, fmt::format("--resume {}: the run wrote {}, which is not journaled; it "
                                                 "cannot be resumed (delete the journal and run again)",
                                                 journal, p));
  run(f, r.earlier.header.value("command_line", "rcbench run"), &r);
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
              "\nGoogle Benchmark's flags work as for any benchmark binary: --benchmark_filter, _repetitions,\n"
              "_min_time select as --filter/--repetitions/--min-time do (baselines added); --benchmark_format=\n"
              "console|json|csv prints that format on stdout (progress moves to stderr); --benchmark_out=F\n"
              "(+ _out_format) writes Google Benchmark's file beside the run JSON. Times are per op.\n"
              "RCBENCH_INJECT_SLOWDOWN=<strategy>:<percent> (test only) adds work to one strategy.");
  cmd->add_option("--profile", flags->profile, "quick | default | full | gate")
      ->group("What to run")->capture_default_str();
  cmd->add_option("--strategies", flags->strategies, "Only these strategies (comma list)")
      ->group("What to run");
  cmd->add_option("--workloads", flags->workloads,
                  "Only these workloads: private, shared, false_sharing:<pad>, handoff, mixed:<pct>")
      ->group("What to run");
  cmd->add_option("--threads", flags->threads, "Thread counts (comma list), default 1, 2, 4, ... all")
      ->delimiter(',')->group("What to run");
  cmd->add_option("--filter", flags->filter,
                  "Regex over benchmark names (as --benchmark_filter: extended regex, leading '-' negates)")
      ->group("What to run");
  cmd->add_flag("--no-baselines", flags->no_baselines,
                "Run only the selected rows: no GIL baselines or plain reference added (report shows no ratios)")
      ->group("What to run");
  cmd->add_flag("--list", flags->list, "Print the plan (names, PUs, classes) and exit")
      ->group("What to run");
  cmd->add_option("--repetitions", flags->repetitions,
                  fmt::format("Repetitions per benchmark (1..{})", harness::limits::kMaxRepetitions))
      ->group("How long");
  cmd->add_option("--min-time", flags->min_time,
                  fmt::format("Seconds per repetition (at least; more than 0, at most {})", harness::limits::kMaxMinTimeS))
      ->group("How long");
  cmd->add_option("--budget", flags->budget,
                  "Time budget (90s, 20m, 1h, 1h30m): if the estimate is over it, drop rows until it fits, "
                  "matrix cells first, then extra workloads, scatter, compact, pairs; calibration and "
                  "single-thread rows and every kept row's baselines stay (too small for those: an error)")
      ->group("How long");
  cmd->add_option("--switch-interval-us", flags->switch_interval_us,
                  fmt::format("the GIL model's switch interval, 1..{} (CPython's default {})",
                              harness::limits::kMaxSwitchIntervalUs, harness::PlanOverrides{}.switch_interval_us))
      ->group("How long");
  cmd->add_option("--events", flags->events, "Counters to read (PAPI names, comma list)")
      ->group("Counters");
  cmd->add_option("--events-file", flags->events_file, "File with one event per line")
      ->group("Counters");
  cmd->add_flag("--no-counters", flags->no_counters, "Read no counters at all")->group("Counters");
  cmd->add_flag("--no-probes", flags->no_probes,
                "Skip the per-repetition coherence probes")->group("Counters");
  cmd->add_option("-o,--out", flags->out, "Run JSON to write (default rcbench-<profile>-<time>.json)")
      ->group("Output");
  cmd->add_flag("--force", flags->force,
                "Replace an existing regular file (--out, --benchmark_out); never a link, device or folder")
      ->group("Output");
  cmd->add_option("--resume", flags->resume,
                  "Finish a run that was interrupted: run what its journal (<out>.journal) lacks, with the "
                  "flags, output and checks recorded there; takes no other flag")
      ->group("Output");
  cmd->allow_extras();
  cmd->callback([flags, cmd] {
    if (cmd->count("--resume") > 0) {
      std::string others;
      for (const CLI::Option* o : cmd->get_options())
        if (o->count() > 0 && o->get_name() != "--resume") others += (others.empty() ? "" : ", ") + o->get_name();
      for (const auto& r : cmd->remaining()) others += (others.empty() ? "" : ", ") + r;
      if (!others.empty())
        throw CommandExit(kUsageError, fmt::format("--resume takes the plan, output and flags from the journal: "
                                                   "give no other flag (got {})", others));
      if (flags->resume.empty()) throw CommandExit(kUsageError, "--resume: empty journal name");
      resume_run(flags->resume);
      return;
    }
    std::string line = "rcbench run";
    for (const auto& r : cmd->remaining()) {
      if (!r.starts_with("--benchmark_"))
        throw CommandExit(kUsageError, "unknown argument '" + r + "' (see rcbench run --help; "
                                       "Google Benchmark's flags take --benchmark_x=value)");
    }
    flags->passthrough = cmd->remaining();
    flags->strategies = split_comma_lists("--strategies", flags->strategies);
    flags->workloads = split_comma_lists("--workloads", flags->workloads);
    flags->events = split_comma_lists("--events", flags->events);
    check_output_name("--out", cmd->count("--out") > 0, flags->out);
    std::ifstream cmdline("/proc/self/cmdline");
    std::string arg, all;
    while (std::getline(cmdline, arg, '\0')) all += (all.empty() ? "" : " ") + arg;
    run(*flags, all.empty() ? line : all);
  });
}

}  // namespace rcbench::cli
