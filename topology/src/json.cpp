#include <rcbench/topology/json.hpp>

namespace rcbench::topo {

void to_json(nlohmann::json& out, const MachineSummary& summary) {
  nlohmann::json classes = nlohmann::json::array();
  for (PlacementClass cls : summary.classes_present) classes.push_back(to_string(cls));
  nlohmann::json caches = nlohmann::json::array();
  for (const CacheLevel& c : summary.caches) {
    nlohmann::json sharing = nlohmann::json::array();
    for (const CpuList& pus : c.sharing) sharing.push_back(pus.to_string());
    caches.push_back({{"level", c.level}, {"type", c.type}, {"size_bytes", c.size_bytes},
                      {"instances", c.sharing.size()}, {"sharing", sharing}});
  }
  nlohmann::json numa = nlohmann::json::array();
  for (const NumaNode& n : summary.numa)
    numa.push_back({{"node", n.os_index}, {"memory_bytes", n.memory_bytes}, {"pus", n.pus.to_string()}});
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
         {"source", summary.source},
         {"caches", caches},
         {"numa", numa},
         {"memory_bytes", summary.memory_bytes}};
}

void to_json(nlohmann::json& out, const PuPair& pair) {
  out = {{"a", pair.a}, {"b", pair.b}, {"class", to_string(pair.cls)}};
}

}  // namespace rcbench::topo
