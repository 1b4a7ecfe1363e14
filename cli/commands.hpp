// Each subcommand of the `rcbench` front door lives in its own cmd_<name>.cpp and
// registers itself on the CLI11 app here. A command signals its exit status by
// throwing CommandExit (CLI11's own parse errors exit with status 2).
#pragma once

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>

namespace rcbench::cli {

// Documented exit statuses, shared by every subcommand.
enum ExitCode : int {
  kOk = 0,
  kRegression = 1,    // compare/gate: a significant slowdown beyond its threshold
  kUsageError = 2,    // bad flags, unreadable or malformed input
  kInconclusive = 3,  // compare/gate: the runs cannot be judged (disturbed, too few reps)
  kRuntimeError = 4,  // the machine refused (pinning failed, output not writable, ...)
};

struct CommandExit : std::runtime_error {
  CommandExit(int exit_code, const std::string& message)
      : std::runtime_error(message), code(exit_code) {}
  int code;
};

void add_topology_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_events_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_lab_command(CLI::App& app);
void add_fleet_command(CLI::App& app);
void add_matrix_command(CLI::App& app);

}  // namespace rcbench::cli
