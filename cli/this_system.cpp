#include "this_system.hpp"

#include "commands.hpp"

#include <fmt/core.h>

#include <cstdlib>
#include <string>

namespace rcbench::cli {

void refuse_other_topology(const topo::Topology& topology, std::string_view command) {
  if (topology.is_this_system()) return;
  std::string vars;
  for (const char* v : {"HWLOC_XMLFILE", "HWLOC_SYNTHETIC"})
    if (std::getenv(v) != nullptr) vars += (vars.empty() ? "" : " and ") + std::string(v);
  throw CommandExit(kUsageError,
                    fmt::format("the topology is not this system ({}, from {}): threads cannot be pinned "
                                "on it, so nothing is measured. Unset {} to measure here; `rcbench {} --list` "
                                "still plans for that machine.",
                                topology.source(), vars.empty() ? "the environment" : vars,
                                vars.empty() ? "it" : vars, command));
}

}  // namespace rcbench::cli
