// `rcbench compare BASE CANDIDATE`: the statistical comparison and the CI gate's verdict.
// The work is in reports/compare (compute, then render); this file is the flags.
#include "commands.hpp"
#include "comma_list.hpp"

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
std::vector<runjson::Run> load_side(const std::string& what, const std::string& list) {
  std::vector<runjson::Run> runs;
  for (const std::string& file : split_comma_list(what, list)) runs.push_back(compare::load_compare_input(file));
  return runs;
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
    const std::vector<runjson::Run> base = load_side("BASE", f.base);
    const std::vector<runjson::Run> candidate = load_side("CANDIDATE", f.candidate);
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
      "2 usage or input error (bad flag, unreadable or malformed JSON, report JSON given, runs of different method versions); "
      "3 inconclusive (a run disturbed by steal/load/migrations, too few repetitions or no shared "
      "coherence mode, a benchmark missing from the candidate); 4 runtime error. See docs/gate.md.");
  cmd->callback([flags] { run_compare(*flags); });
}

}  // namespace rcbench::cli
