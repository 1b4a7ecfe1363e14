#include "matrix_json.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

namespace rcbench::harness {

ClassBoundaries class_boundaries(const topo::Topology& topology, const std::vector<unsigned>& order) {
  using topo::PlacementClass;
  const auto summary = topology.summary();
  ClassBoundaries b;
  for (std::size_t i = 1; i < order.size(); ++i) {
    // Neighbours in logical order that share less than a level's domain are on either
    // side of one of its boundaries (logical order keeps every domain contiguous).
    const PlacementClass c = topology.classify(order[i - 1], order[i]);
    if (c > PlacementClass::smt) b.core.push_back(i);
    if (c > PlacementClass::l3 && summary.l3_caches > 0) b.l3.push_back(i);
    if (c > PlacementClass::numa && summary.numa_nodes > 0) b.numa.push_back(i);
    if (c > PlacementClass::package) b.package.push_back(i);
  }
  return b;
}

nlohmann::json to_json(const ClassBoundaries& b) {
  return {{"meaning", "indices into pus where a new domain begins (index 0 left out)"},
          {"core", b.core}, {"l3", b.l3}, {"numa", b.numa}, {"package", b.package}};
}

nlohmann::json summarize_ns(std::vector<double> values) {
  if (values.empty())
    return {{"count", 0}, {"min_ns", nullptr}, {"median_ns", nullptr}, {"max_ns", nullptr}};
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return {{"count", n}, {"min_ns", values.front()}, {"median_ns", median}, {"max_ns", values.back()}};
}

nlohmann::json matrix_section(const std::vector<unsigned>& order, const ClassBoundaries& boundaries,
                              const std::vector<PingPongMethod>& methods, const std::vector<PairResult>& results) {
  std::map<unsigned, std::size_t> index;
  for (std::size_t i = 0; i < order.size(); ++i) index[order[i]] = i;
  auto at = [&index](unsigned pu) {
    const auto it = index.find(pu);
    if (it == index.end()) throw std::logic_error("matrix: PU " + std::to_string(pu) + " is not in the PU list");
    return it->second;
  };
  const std::size_t n = order.size();
  nlohmann::json methods_json = nlohmann::json::object();
  for (std::size_t m = 0; m < methods.size(); ++m) {
    nlohmann::json grid = nlohmann::json::array();
    for (std::size_t i = 0; i < n; ++i) grid.push_back(std::vector<nlohmann::json>(n, nullptr));
    std::map<topo::PlacementClass, std::vector<double>> by_class;
    for (const auto& r : results) {
      auto& figures = by_class[r.pair.cls];  // every class planned, measured or not
      if (!r.one_way_ns.at(m)) continue;
      const double ns = *r.one_way_ns[m];
      const std::size_t i = at(r.pair.a), j = at(r.pair.b);
      grid[i][j] = ns;
      grid[j][i] = ns;
      figures.push_back(ns);
    }
    nlohmann::json classes = nlohmann::json::array();
    for (auto& [cls, figures] : by_class) {
      nlohmann::json s = summarize_ns(std::move(figures));
      s["class"] = std::string(topo::to_string(cls));
      classes.push_back(std::move(s));
    }
    methods_json[std::string(to_string(methods[m]))] = {{"one_way_ns", std::move(grid)},
                                                        {"by_class", std::move(classes)}};
  }
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& r : results) {
    nlohmann::json p = {{"a", r.pair.a}, {"b", r.pair.b}, {"class", std::string(topo::to_string(r.pair.cls))}};
    for (std::size_t m = 0; m < methods.size(); ++m)
      p[std::string(to_string(methods[m])) + "_ns"] = r.one_way_ns.at(m) ? nlohmann::json(*r.one_way_ns[m]) : nullptr;
    if (!r.error.empty()) p["error"] = r.error;
    pairs.push_back(std::move(p));
  }
  return {{"pus", order},
          {"pu_order", "hwloc logical order; the values are OS indices (taskset, sched_getcpu)"},
          {"boundaries", to_json(boundaries)},
          {"methods", std::move(methods_json)},
          {"pairs", std::move(pairs)}};
}

}  // namespace rcbench::harness
