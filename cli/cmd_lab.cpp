// `rcbench lab`: the lab runner lives in scripts/lab.py (orchestration: checks,
// build, run, report, result set, index); this only hands over to it, so the one
// front door also reaches it.
#include "commands.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace rcbench::cli {

void add_lab_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "lab", "Make a publishable result set under results/ (runs scripts/lab.py; "
             "`rcbench lab --help` shows its options)");
  cmd->allow_extras();
  cmd->prefix_command();  // everything after `lab` belongs to lab.py, --help included
  cmd->set_help_flag();
  cmd->callback([cmd] {
    const std::string script = std::string(RCBENCH_SOURCE_DIR) + "/scripts/lab.py";
    std::vector<std::string> args = {"/usr/bin/python3", script};
    for (const auto& a : cmd->remaining()) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    throw CommandExit(kRuntimeError, "cannot start " + script + ": " + std::strerror(errno));
  });
}

}  // namespace rcbench::cli
