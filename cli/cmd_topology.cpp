// PLACEHOLDER: replaced by the real `rcbench topology` command.
#include "commands.hpp"

namespace rcbench::cli {
void add_topology_command(CLI::App& app) {
  app.add_subcommand("topology", "(not built yet)")->callback([] {
    throw CommandExit(kRuntimeError, "rcbench topology is not built yet");
  });
}
}  // namespace rcbench::cli
