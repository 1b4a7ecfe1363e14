// The "rcbench-matrix" file's measurement part (docs/matrix.md): the PUs in hwloc logical
// order, where their cores, L3s, NUMA nodes and packages begin, and per method the NxN
// one-way latency matrix (ns, null where not measured) with a per-class summary.
#pragma once

#include "matrix_measure.hpp"
#include "spec.hpp"

#include "rcbench/topology/topology.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace rcbench::harness {

// The statistic every figure of the file is.
inline constexpr const char* kMatrixStatistic =
    "min over batches of (batch time / round trips) / 2: half the fastest batch's mean round trip";

// Positions in `order` (indices, not PUs) where a new core, L3, NUMA node and package
// begins, position 0 left out: where a heat map draws its lines. A level the machine
// lacks (no L3 objects) has none, rather than a line between every pair of its children.
struct ClassBoundaries {
  std::vector<std::size_t> core, l3, numa, package;
};
ClassBoundaries class_boundaries(const topo::Topology&, const std::vector<unsigned>& order);
nlohmann::json to_json(const ClassBoundaries&);

// {"count", "min_ns", "median_ns", "max_ns"} of `values` (median: the mean of the two
// middle values for an even count); min/median/max null for no values.
nlohmann::json summarize_ns(std::vector<double> values);

// {"pus": order, "boundaries": ..., "methods": {name: {"one_way_ns": NxN,
//  "by_class": [{"class", "count", "min_ns", "median_ns", "max_ns"}, ...]}},
//  "pairs": [{"a", "b", "class", "<method>_ns": ..., "error"?}]}. The matrix is symmetric
// (a pair is measured once, a initiating), its diagonal null. by_class lists every class
// among `results`, nearest first, with the measured pairs' figures.
nlohmann::json matrix_section(const std::vector<unsigned>& order, const ClassBoundaries& boundaries,
                              const std::vector<PingPongMethod>& methods, const std::vector<PairResult>& results);

}  // namespace rcbench::harness
