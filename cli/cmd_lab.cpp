// `rcbench lab`: the lab runner lives in scripts/lab.py (orchestration: checks,
// build, run, report, result set, index); this only hands over to it, so the one
// front door also reaches it.
#include "commands.hpp"
#include "script_command.hpp"

namespace rcbench::cli {

void add_lab_command(CLI::App& app) {
  add_script_command(app, "lab",
                     "Make a publishable result set under results/ (runs scripts/lab.py; "
                     "`rcbench lab --help` shows its options)",
                     "lab.py");
}

}  // namespace rcbench::cli
