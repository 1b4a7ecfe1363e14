// PLACEHOLDER: replaced by the real `rcbench lab` command.
#include "commands.hpp"

namespace rcbench::cli {
void add_lab_command(CLI::App& app) {
  app.add_subcommand("lab", "(not built yet)")->callback([] {
    throw CommandExit(kRuntimeError, "rcbench lab is not built yet");
  });
}
}  // namespace rcbench::cli
