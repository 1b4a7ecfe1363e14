#include <rcbench/topology/json.hpp>

namespace rcbench::topo {

void to_json(nlohmann::json& out, const MachineSummary& summary) {
  nlohmann::json classes = nlohmann::json::array();
  for (PlacementClass cls : summary.classes_present) classes.push_back(to_string(cls));
  out = {{"packages", summary.packages},
         {"numa_nodes", summary.numa_nodes},
         {"l3_caches", summary.l3_caches},
         {"l2_caches", summary.l2_caches},
         {"cores", summary.cores},
         {"pus", summary.pus},
         {"smt", summary.smt},
         {"allowed_pus", summary.allowed.to_string()},
         {"machine_pus", summary.machine_pus.to_string()},
         {"classes_present", classes},
         {"cpu_model", summary.cpu_model},
         {"cpu_vendor", summary.cpu_vendor},
         {"this_system", summary.this_system},
         {"source", summary.source}};
}

void to_json(nlohmann::json& out, const PuPair& pair) {
  out = {{"a", pair.a}, {"b", pair.b}, {"class", to_string(pair.cls)}};
}

}  // namespace rcbench::topo
