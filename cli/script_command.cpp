#include "script_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "commands.hpp"

namespace rcbench::cli {

void add_script_command(CLI::App& app, const std::string& name, const std::string& description,
                        const std::string& script) {
  CLI::App* cmd = app.add_subcommand(name, description);
  cmd->allow_extras();
  cmd->prefix_command();  // everything after the name belongs to the script, --help included
  cmd->set_help_flag();
  cmd->callback([cmd, script] {
    const std::string path = std::string(RCBENCH_SOURCE_DIR) + "/scripts/" + script;
    std::vector<std::string> args = {"/usr/bin/python3", path};
    for (const auto& a : cmd->remaining()) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    throw CommandExit(kRuntimeError, "cannot start " + path + ": " + std::strerror(errno));
  });
}

}  // namespace rcbench::cli
