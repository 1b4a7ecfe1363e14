// MachineSummary: counts, sizes and identity of the machine.
#include <algorithm>
#include <string_view>

#include "impl.hpp"

namespace rcbench::topo {

namespace {

unsigned count(hwloc_topology_t topology, hwloc_obj_type_t type) {
  const int n = hwloc_get_nbobjs_by_type(topology, type);
  return n > 0 ? static_cast<unsigned>(n) : 0;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

// x86 puts CPUModel/CPUVendor on packages, some exports on the root object. The first
// package that has the info names the machine (a hybrid CPU has one model string).
std::string cpu_info(hwloc_topology_t topology, const char* name) {
  for (hwloc_obj_t package = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PACKAGE, nullptr);
       package != nullptr;
       package = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PACKAGE, package)) {
    if (const char* value = hwloc_obj_get_info_by_name(package, name)) return trimmed(value);
  }
  if (const char* value = hwloc_obj_get_info_by_name(hwloc_get_root_obj(topology), name)) {
    return trimmed(value);
  }
  return {};
}

const char* cache_type(hwloc_obj_cache_type_e type) {
  return type == HWLOC_OBJ_CACHE_DATA ? "data" : "unified";
}

// Data and unified caches, L1 first; instances of one (level, type, size) grouped.
std::vector<CacheLevel> caches(hwloc_topology_t topology) {
  std::vector<CacheLevel> out;
  for (hwloc_obj_type_t type : {HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L4CACHE,
                                HWLOC_OBJ_L5CACHE}) {
    for (hwloc_obj_t cache = hwloc_get_next_obj_by_type(topology, type, nullptr); cache != nullptr;
         cache = hwloc_get_next_obj_by_type(topology, type, cache)) {
      const auto& attr = cache->attr->cache;
      if (attr.type == HWLOC_OBJ_CACHE_INSTRUCTION) continue;
      auto it = std::find_if(out.begin(), out.end(), [&](const CacheLevel& c) {
        return c.level == attr.depth && c.type == cache_type(attr.type) && c.size_bytes == attr.size;
      });
      if (it == out.end()) it = out.insert(out.end(), CacheLevel{attr.depth, cache_type(attr.type), attr.size, {}});
      it->sharing.push_back(to_cpu_list(cache->cpuset));
    }
  }
  return out;
}

std::vector<NumaNode> numa_nodes(hwloc_topology_t topology) {
  std::vector<NumaNode> out;
  for (hwloc_obj_t node = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, nullptr); node != nullptr;
       node = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, node)) {
    out.push_back({node->os_index, node->attr->numanode.local_memory, to_cpu_list(node->cpuset)});
  }
  return out;
}

}  // namespace

MachineSummary Topology::summary() const {
  hwloc_topology_t t = impl_->topology.get();
  MachineSummary summary;
  summary.packages = count(t, HWLOC_OBJ_PACKAGE);
  summary.numa_nodes = count(t, HWLOC_OBJ_NUMANODE);
  summary.l3_caches = count(t, HWLOC_OBJ_L3CACHE);
  summary.l2_caches = count(t, HWLOC_OBJ_L2CACHE);
  summary.cores = count(t, HWLOC_OBJ_CORE);
  summary.pus = count(t, HWLOC_OBJ_PU);
  for (hwloc_obj_t core = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, nullptr);
       core != nullptr && !summary.smt;
       core = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, core)) {
    summary.smt = hwloc_bitmap_weight(core->cpuset) > 1;
  }
  summary.cpu_model = cpu_info(t, "CPUModel");
  summary.cpu_vendor = cpu_info(t, "CPUVendor");
  summary.allowed = allowed_;
  summary.machine_pus = impl_->machine_pus;
  summary.this_system = impl_->this_system;
  summary.source = impl_->source;
  for (const PuPair& pair : representative_pairs(/*include_same_pu=*/true)) {
    summary.classes_present.push_back(pair.cls);
  }
  summary.caches = caches(t);
  summary.numa = numa_nodes(t);
  summary.memory_bytes = hwloc_get_root_obj(t)->total_memory;
  return summary;
}

}  // namespace rcbench::topo
