// The run JSON's catalog (rcbench.catalog): the entries the strategies and workloads
// of a run declare beside their code (counters/catalog_entry.hpp,
// workloads/catalog_entry.hpp), written by the harness so that every reader above
// bench/ learns names, order and roles from the run instead of spelling them.
#pragma once

#include "plan.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rcbench::harness {

// The entries of the strategies and workloads the plan's refcount rows use, in catalog
// order: {"strategies": [...], "workloads": [...]} (docs/run-format.md, "catalog").
nlohmann::json run_catalog(const std::vector<PlannedBenchmark>& plan);

// Every strategy of this build (deferred at the profiles' flush thresholds) and every
// workload: what a reader falls back on for a run written before runs carried a catalog.
nlohmann::json build_catalog();

// One strategy's entry ("deferred_64" included); throws std::invalid_argument for a
// name this build does not know.
nlohmann::json strategy_entry(const std::string& name);

}  // namespace rcbench::harness
