// Subcommands whose work lives in a Python script under scripts/ (`rcbench lab`,
// `rcbench fleet`): the front door only hands everything after the command name,
// --help included, to the script, so that one entry point reaches them all.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace rcbench::cli {

// Registers `name` on app; when given, execs /usr/bin/python3 <source>/scripts/<script>
// with the remaining arguments (the script's exit status becomes rcbench's).
void add_script_command(CLI::App& app, const std::string& name, const std::string& description,
                        const std::string& script);

}  // namespace rcbench::cli
