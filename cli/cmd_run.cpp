// PLACEHOLDER: replaced by the real `rcbench run` command.
#include "commands.hpp"

namespace rcbench::cli {
void add_run_command(CLI::App& app) {
  app.add_subcommand("run", "(not built yet)")->callback([] {
    throw CommandExit(kRuntimeError, "rcbench run is not built yet");
  });
}
}  // namespace rcbench::cli
