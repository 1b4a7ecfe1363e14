// Commands that pin threads (run, matrix) measure only on the machine they run on.
#pragma once

#include "rcbench/topology/topology.hpp"

#include <string_view>

namespace rcbench::cli {

// hwloc honours HWLOC_XMLFILE/HWLOC_SYNTHETIC; binding then "succeeds" and does
// nothing (PITFALLS.md), so every pinned thread would be somewhere else. Throws
// CommandExit (exit 2) naming the variable and that `rcbench <command> --list` still
// plans for that machine; returns when `topology` is this system.
void refuse_other_topology(const topo::Topology& topology, std::string_view command);

}  // namespace rcbench::cli
