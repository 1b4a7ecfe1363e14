// PLACEHOLDER: replaced by the real `rcbench report` command.
#include "commands.hpp"

namespace rcbench::cli {
void add_report_command(CLI::App& app) {
  app.add_subcommand("report", "(not built yet)")->callback([] {
    throw CommandExit(kRuntimeError, "rcbench report is not built yet");
  });
}
}  // namespace rcbench::cli
