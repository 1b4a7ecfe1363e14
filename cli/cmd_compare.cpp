// PLACEHOLDER: replaced by the real `rcbench compare` command.
#include "commands.hpp"

namespace rcbench::cli {
void add_compare_command(CLI::App& app) {
  app.add_subcommand("compare", "(not built yet)")->callback([] {
    throw CommandExit(kRuntimeError, "rcbench compare is not built yet");
  });
}
}  // namespace rcbench::cli
