// `rcbench compare BASE CANDIDATE`: the statistical comparison and the CI gate's verdict.
// The work is in reports/compare (compute, then render); this file is the flags.
#include "commands.hpp"

#include "compare/compare.hpp"
#include "compare/render.hpp"
#include "rcbench/io/atomic_write.hpp"
#include "rcbench/io/destination.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rcbench::cli {
namespace {

struct CompareFlags {
  std::string base, candidate;
  std::string config;
  std::optional<std::string> mode, statistic, counter;
  std::optional<double> alpha;
  std::optional<int> min_reps;
  bool no_modes = false;
  std::string json_out, markdown_out;
  bool force = false;
};

// "a.json" or "a1.json,a2.json,...": several runs of one binary pooled on one side.
std::vector<runjson::Run> load_side(const std::string& list) {
  std::vector<runjson::Run> runs;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    if (comma == start) throw compare::InputError("empty file name in '" + list + "'");
    runs.push_back(compare::load_compare_input(list.substr(start, comma - start)));
    start = comma + 1;
  }
  return runs;
}

// A counter no baseline repetition carries is a mistyped flag (exit 2), not a run
// that cannot be judged (exit 3). The message lists what the runs do carry.
void require_counter(const std::string& counter, const std::vector<runjson::Run>& runs) {
  if (counter == "real_time") return;  // Google Benchmark's own time, always present
  std::set<std::string> present;
  for (const runjson::Run& run : runs)
    for (const runjson::Benchmark& b : run.benchmarks)
      for (const runjson::Repetition& r : b.reps)
        for (const auto& [name, value] : r.counters) present.insert(name);
  if (present.contains(counter)) return;
  std::string list;
  for (const std::string& name : present) list += (list.empty() ? "" : ", ") + name;
  throw CommandExit(kUsageError, "--counter '" + counter + "': no repetition of BASE has it (counters: " +
                                     (list.empty() ? "none" : list) + ", real_time)");
}

// Google Benchmark's real_time was per 64-op block before rcbench recorded it per op
// (rcbench.real_time_per: "op"); a ratio across the change would be off by the block.
std::string real_time_per(const runjson::Run& run) {
  if (run.rcbench.is_object() && run.rcbench.contains("real_time_per") && run.rcbench["real_time_per"].is_string())
    return run.rcbench["real_time_per"].get<std::string>();
  return "iteration";
}

void require_same_real_time_unit(const std::vector<runjson::Run>& base, const std::vector<runjson::Run>& candidate) {
  const std::string unit = real_time_per(base.front());
  for (const auto* side : {&base, &candidate})
    for (const runjson::Run& run : *side)
      if (real_time_per(run) != unit)
        throw CommandExit(kUsageError, "--counter real_time: " + base.front().source + " times one " + unit +
                                           " but " + run.source + " one " + real_time_per(run) +
                                           " (runs from before and after rcbench timed per op); compare "
                                           "ns_per_op_thread, which means the same in both");
}

compare::GateConfig config_from(const CompareFlags& f) {
  compare::GateConfig c;
  if (!f.config.empty()) {
    c = compare::load_gate_config(f.config);
  } else if (const std::filesystem::path shipped = std::filesystem::path(RCBENCH_SOURCE_DIR) / "config/gate.json";
             std::filesystem::exists(shipped)) {
    c = compare::load_gate_config(shipped);
  }
  if (f.mode) c.mode = compare::parse_mode(*f.mode);
  if (f.statistic) c.statistic = compare::parse_statistic(*f.statistic);
  if (f.counter) c.counter = *f.counter;
  if (f.alpha) c.alpha = *f.alpha;
  if (f.min_reps) c.min_reps = *f.min_reps;
  if (f.no_modes) c.use_modes = false;
  return c;
}

void run_compare(const CompareFlags& f) {
  // CLI11's range check lets NaN through (every comparison with it is false).
  if (f.alpha && !(*f.alpha > 0 && *f.alpha <= 0.5))
    throw CommandExit(kUsageError, "--alpha: expected a significance level in (0, 0.5]");
  // Refuse a bad destination before reading the runs (io::DestinationRefused: exit 2).
  if (!f.json_out.empty()) io::check_file_destination(f.json_out, f.force);
  if (!f.markdown_out.empty()) io::check_file_destination(f.markdown_out, f.force);
  if (!f.json_out.empty() && f.json_out == f.markdown_out)
    throw CommandExit(kUsageError, "--json and --markdown name the same file: " + f.json_out);
  try {
    const compare::GateConfig config = config_from(f);
    const std::vector<runjson::Run> base = load_side(f.base);
    const std::vector<runjson::Run> candidate = load_side(f.candidate);
    if (f.counter) require_counter(*f.counter, base);
    if (f.counter == "real_time") require_same_real_time_unit(base, candidate);
    const compare::CompareResult result = compare::compare_runs(base, candidate, config);
    std::fputs(compare::render_terminal(result).c_str(), stdout);
    if (!f.json_out.empty())
      io::write_file_atomically(f.json_out, compare::to_json(result).dump(2) + "\n", f.force);
    if (!f.markdown_out.empty())
      io::write_file_atomically(f.markdown_out, compare::render_markdown(result), f.force);
    std::fflush(stdout);
    const int code = compare::exit_code_of(result.verdict);
    if (code != kOk) throw CommandExit(code, "");
  } catch (const compare::InputError& e) {
    throw CommandExit(kUsageError, e.what());
  }
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto flags = std::make_shared<CompareFlags>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compare two runs (run JSON from `rcbench run --out`) benchmark by benchmark: Mann-Whitney U over "
      "repetitions plus a per-benchmark threshold, within one coherence mode; prints a table and "
      "returns the gate's verdict.");
  cmd->add_option("BASE", flags->base, "Run JSON of the baseline (e.g. results/baselines/<machine>/gate.json); a comma-separated "
                  "list pools several runs of one binary")
      ->required();
  cmd->add_option("CANDIDATE", flags->candidate, "Run JSON of the candidate (or a comma-separated list)")->required();
  cmd->add_option("--mode", flags->mode,
                  "normalized (default in config/gate.json): each benchmark divided by its in-run GIL "
                  "baseline, robust to a slower or busier machine; absolute: ns per op as measured")
      ->check(CLI::IsMember({"normalized", "absolute"}));
  cmd->add_option("--statistic", flags->statistic, "median (default) or min over repetitions")
      ->check(CLI::IsMember({"median", "min"}));
  cmd->add_option("--counter", flags->counter,
                  "per-repetition counter to compare (default ns_per_op_thread; ops_per_s_total is "
                  "higher-is-better; real_time = Google Benchmark's time)");
  cmd->add_option("--config", flags->config,
                  "gate config: thresholds per benchmark pattern, environment limits (default: the "
                  "source tree's config/gate.json, else built-in defaults)");
  cmd->add_option("--alpha", flags->alpha, "significance level of the U test (default 0.05)")
      ->check(CLI::Range(1e-9, 0.5));
  cmd->add_option("--min-reps", flags->min_reps,
                  "repetitions needed on each side within the compared mode (default 9: 3 vs 3 can never "
                  "reach p < 0.05)")
      ->check(CLI::Range(2, 1000000));
  cmd->add_flag("--no-modes", flags->no_modes,
                "compare all repetitions regardless of the coherence mode they ran in");
  cmd->add_option("--json", flags->json_out, "write the JSON verdict (format rcbench-compare) to this file");
  cmd->add_option("--markdown", flags->markdown_out, "write the table as Markdown to this file");
  cmd->add_flag("--force", flags->force,
                "replace existing --json/--markdown files (regular files only, never a link)");
  cmd->footer(
      "Exit status: 0 pass; 1 regression (a benchmark significantly slower than its threshold); "
      "2 usage or input error (bad flag, unreadable or malformed JSON, report JSON given); "
      "3 inconclusive (a run disturbed by steal/load/migrations, too few repetitions or no shared "
      "coherence mode, a benchmark missing from the candidate); 4 runtime error. See docs/gate.md.");
  cmd->callback([flags] { run_compare(*flags); });
}

}  // namespace rcbench::cli
