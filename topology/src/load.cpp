// Loading a machine into TopologyImpl: hwloc flags, per-PU domain ids, allowed PUs.
#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <utility>

#include "impl.hpp"

namespace rcbench::topo {

HwlocBitmapPtr make_bitmap() {
  HwlocBitmapPtr bitmap(hwloc_bitmap_alloc());
  if (!bitmap) throw std::bad_alloc();
  return bitmap;
}

CpuList to_cpu_list(hwloc_const_bitmap_t bitmap) {
  std::vector<unsigned> pus;
  // hwloc_bitmap_next returns -1 at the end; an infinite bitmap (all bits from some index
  // on) never appears for sets of existing PUs.
  for (int i = hwloc_bitmap_first(bitmap); i >= 0; i = hwloc_bitmap_next(bitmap, i)) {
    pus.push_back(static_cast<unsigned>(i));
  }
  return CpuList(std::move(pus));
}

HwlocBitmapPtr to_bitmap(const CpuList& pus) {
  HwlocBitmapPtr bitmap = make_bitmap();
  for (unsigned pu : pus) hwloc_bitmap_set(bitmap.get(), pu);
  return bitmap;
}

HwlocTopologyPtr new_hwloc_topology() {
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0) {
    throw TopologyError(
        fmt::format("hwloc could not initialise a topology: {}", std::strerror(errno)));
  }
  HwlocTopologyPtr topology(raw);
  // Keep PUs outside the cgroup cpuset in the topology: the summary reports the whole
  // machine, and the allowed set is applied by rcbench (so restrict_to and the process
  // binding work the same way).
  hwloc_topology_set_flags(topology.get(), HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED);
  return topology;
}

namespace {

std::uint32_t id_of_ancestor(hwloc_topology_t topology, hwloc_obj_t pu, hwloc_obj_type_t type) {
  hwloc_obj_t ancestor = hwloc_get_ancestor_obj_by_type(topology, type, pu);
  return ancestor == nullptr ? 0 : ancestor->logical_index + 1;
}

std::string bitmap_string(hwloc_const_bitmap_t bitmap) {
  char* text = nullptr;
  if (hwloc_bitmap_asprintf(&text, bitmap) < 0 || text == nullptr) throw std::bad_alloc();
  std::string result(text);
  std::free(text);
  return result;
}

}  // namespace

std::shared_ptr<TopologyImpl> load_impl(HwlocTopologyPtr topology, std::string source,
                                        const std::string& what,
                                        const std::string& load_failure) {
  if (hwloc_topology_load(topology.get()) != 0) {
    if (!load_failure.empty()) throw TopologyError(load_failure);
    throw TopologyError(fmt::format("hwloc could not load {}: {}", what, std::strerror(errno)));
  }
  auto impl = std::make_shared<TopologyImpl>();
  impl->source = std::move(source);
  impl->this_system = hwloc_topology_is_thissystem(topology.get()) != 0;

  // A NUMA domain is the PUs of one package (or of no package) with the same set of local
  // NUMA nodes. NUMA nodes are memory children in hwloc 2.x, never CPU ancestors, so the
  // PUs' nodesets are compared rather than ancestors.
  std::map<std::pair<std::uint32_t, std::string>, std::uint32_t> numa_ids;
  std::vector<unsigned> all_pus;
  hwloc_topology_t t = topology.get();
  for (hwloc_obj_t pu = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PU, nullptr); pu != nullptr;
       pu = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PU, pu)) {
    PuRecord record;
    record.os_index = pu->os_index;
    record.object = pu;
    record.domain[kCore] = id_of_ancestor(t, pu, HWLOC_OBJ_CORE);
    record.domain[kL2] = id_of_ancestor(t, pu, HWLOC_OBJ_L2CACHE);
    record.domain[kL3] = id_of_ancestor(t, pu, HWLOC_OBJ_L3CACHE);
    record.domain[kPackage] = id_of_ancestor(t, pu, HWLOC_OBJ_PACKAGE);
    if (pu->nodeset != nullptr && !hwloc_bitmap_iszero(pu->nodeset)) {
      const auto key = std::make_pair(record.domain[kPackage], bitmap_string(pu->nodeset));
      const auto next_id = static_cast<std::uint32_t>(numa_ids.size() + 1);
      record.domain[kNuma] = numa_ids.try_emplace(key, next_id).first->second;
    }
    impl->pus.push_back(record);
    all_pus.push_back(pu->os_index);
  }
  if (impl->pus.empty()) throw TopologyError(fmt::format("{} has no PU", what));

  impl->machine_pus = CpuList(all_pus);
  impl->by_os.assign(impl->machine_pus.pus().back() + 1, -1);
  for (std::size_t i = 0; i < impl->pus.size(); ++i) {
    impl->by_os[impl->pus[i].os_index] = static_cast<std::int64_t>(i);
  }
  impl->topology = std::move(topology);
  return impl;
}

CpuList discover_allowed(const TopologyImpl& impl) {
  hwloc_topology_t t = impl.topology.get();
  CpuList allowed = to_cpu_list(hwloc_topology_get_allowed_cpuset(t)).intersect(impl.machine_pus);
  if (impl.this_system) {
    // The affinity mask (taskset) is not part of hwloc's allowed cpuset: hwloc only
    // applies the cgroup cpuset there.
    HwlocBitmapPtr binding = make_bitmap();
    if (hwloc_get_cpubind(t, binding.get(), HWLOC_CPUBIND_PROCESS) != 0) {
      throw TopologyError(
          fmt::format("cannot read this process's CPU binding: {}", std::strerror(errno)));
    }
    allowed = allowed.intersect(to_cpu_list(binding.get()));
  }
  return allowed;
}

const PuRecord& TopologyImpl::at(unsigned os_index) const {
  const PuRecord* record = find(os_index);
  if (record == nullptr) {
    throw TopologyError(fmt::format("PU {} does not exist in {} (its PUs are {})", os_index, source,
                                    machine_pus.to_string()));
  }
  return *record;
}

}  // namespace rcbench::topo
