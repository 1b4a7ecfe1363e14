// nlohmann::json conversions for the run JSON's "machine.topology" object and the
// `rcbench topology --json` output. Field names follow docs/run-format.md.
#pragma once

#include <nlohmann/json.hpp>
#include <rcbench/topology/topology.hpp>

namespace rcbench::topo {

// {"packages", "numa_nodes", "l3_caches", "l2_caches", "cores", "pus", "smt",
//  "allowed_pus": "0-1", "machine_pus": "0-1", "classes_present": ["same_pu", ...],
//  "cpu_model", "cpu_vendor", "this_system", "source"}
void to_json(nlohmann::json& out, const MachineSummary& summary);
// {"a": 0, "b": 1, "class": "l3"}
void to_json(nlohmann::json& out, const PuPair& pair);

}  // namespace rcbench::topo
