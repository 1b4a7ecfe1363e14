// PLACEHOLDER: replaced by the real `rcbench events` command.
#include "commands.hpp"

namespace rcbench::cli {
void add_events_command(CLI::App& app) {
  app.add_subcommand("events", "(not built yet)")->callback([] {
    throw CommandExit(kRuntimeError, "rcbench events is not built yet");
  });
}
}  // namespace rcbench::cli
