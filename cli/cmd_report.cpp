// `rcbench report RUN.json`: report.json (with ratios to the GIL baselines), tables
// (Markdown, CSV, HTML) and plots, written into a directory that appears whole or
// not at all. Bad input exits 2 before anything is written.
#include "commands.hpp"
#include "output_file.hpp"

#include "report/write_report.hpp"
#include "rcbench/io/interrupt.hpp"

#include <fmt/core.h>

#include <memory>

namespace rcbench::cli {
namespace {

struct ReportArgs {
  std::string run_json;
  std::string out_dir;
  std::string formats = "json,md,csv,html,plots,tex";
  bool force = false;
  std::string python = "/usr/bin/python3";
};

void run_report(const ReportArgs& args) {
  io::defer_interrupts();  // Ctrl-C/SIGTERM/SIGPIPE: stop the plots, remove the staging folder
  report::WriteOptions options;
  try {
    options.formats = report::parse_formats(args.formats);
  } catch (const std::invalid_argument& e) {
    throw CommandExit(kUsageError, fmt::format("--formats: {}", e.what()));
  }
  options.out_dir = args.out_dir;
  options.force = args.force;
  options.plots.script = std::filesystem::path(RCBENCH_SOURCE_DIR) / "scripts" / "plot_report.py";
  options.plots.python = args.python;

  report::WriteResult result;
  try {
    result = report::report_file(args.run_json, options);
  } catch (const runjson::InputError& e) {
    throw CommandExit(kUsageError, fmt::format("report: {}", e.what()));
  } catch (const report::OutputExists& e) {
    throw CommandExit(kUsageError, fmt::format("report: {}", e.what()));
  } catch (const report::OutputError& e) {
    throw CommandExit(kRuntimeError, fmt::format("report: {}", e.what()));
  } catch (const io::Interrupted& e) {
    throw CommandExit(128 + e.signal, "report: interrupted: no report was written (staging folder removed)");
  }
  fmt::print("wrote {}/\n", result.out_dir.string());
  for (const std::string& f : result.files) fmt::print("  {}\n", f);
  for (const std::string& n : result.notes) fmt::print("note: {}\n", n);
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Summarize a run JSON: report.json (medians, spreads, ratios to the GIL baseline, flags, "
      "latency modes), tables.md, tables.csv, report.html, report.tex and plots/");
  cmd->add_option("RUN.json", args->run_json, "run JSON written by `rcbench run --out`")->required();
  cmd->add_option("--out-dir", args->out_dir, "output directory (default: <RUN>.report beside RUN.json)");
  cmd->add_option("--formats", args->formats, "comma-separated: json, md, csv, html, plots, tex (or all)")
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "replace a report directory rcbench wrote before (never a link or another folder)");
  cmd->add_option("--python", args->python, "Python with matplotlib, for the plots")->capture_default_str();
  cmd->callback([args, cmd] {
    check_output_name("--out-dir", cmd->count("--out-dir") > 0, args->out_dir);
    run_report(*args);
  });
}

}  // namespace rcbench::cli
