// `rcbench fleet`: the lab profile on every node type of a Slurm cluster, gathered
// into one results/ index; the orchestration lives in scripts/fleet.py, this only
// hands over to it.
#include "commands.hpp"
#include "script_command.hpp"

namespace rcbench::cli {

void add_fleet_command(CLI::App& app) {
  add_script_command(app, "fleet",
                     "Run the lab profile on every Slurm node type and gather the sets into one "
                     "results/ index (runs scripts/fleet.py: submit, status, gather; "
                     "`rcbench fleet --help` shows its options)",
                     "fleet.py");
}

}  // namespace rcbench::cli
