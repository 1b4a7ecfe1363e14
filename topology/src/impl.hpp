// The hwloc side of Topology. Private to rcbench_topology: nothing outside src/ includes
// hwloc.
#pragma once

#include <hwloc.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <rcbench/topology/topology.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rcbench::topo {

struct HwlocTopologyDeleter {
  void operator()(hwloc_topology* topology) const { hwloc_topology_destroy(topology); }
};
using HwlocTopologyPtr = std::unique_ptr<hwloc_topology, HwlocTopologyDeleter>;

struct HwlocBitmapDeleter {
  void operator()(hwloc_bitmap_s* bitmap) const { hwloc_bitmap_free(bitmap); }
};
using HwlocBitmapPtr = std::unique_ptr<hwloc_bitmap_s, HwlocBitmapDeleter>;
HwlocBitmapPtr make_bitmap();  // throws std::bad_alloc

CpuList to_cpu_list(hwloc_const_bitmap_t bitmap);
HwlocBitmapPtr to_bitmap(const CpuList& pus);

// The domains a PU belongs to, one per level, as small ids: 0 means "no such object above
// this PU" (no L2 objects in a POWER8 export, no L3 on KNL). Ids are equal exactly when
// the PUs share the object. Computed once at load time from hwloc's view.
enum Level : std::size_t { kCore, kL2, kL3, kNuma, kPackage, kLevelCount };

struct PuRecord {
  unsigned os_index = 0;
  hwloc_obj_t object = nullptr;
  std::array<std::uint32_t, kLevelCount> domain{};
};

namespace detail {
struct TopologyImpl {
  HwlocTopologyPtr topology;
  std::string source;
  bool this_system = false;
  std::vector<PuRecord> pus;        // hwloc logical order
  std::vector<std::int64_t> by_os;  // OS index -> position in `pus`, -1 if absent
  CpuList machine_pus;

  const PuRecord* find(unsigned os_index) const {
    if (os_index >= by_os.size() || by_os[os_index] < 0) return nullptr;
    return &pus[static_cast<std::size_t>(by_os[os_index])];
  }
  // Throws TopologyError naming the PU and the PUs that exist.
  const PuRecord& at(unsigned os_index) const;
};
}  // namespace detail
using detail::TopologyImpl;

namespace detail {
struct TopologyAccess {
  static const TopologyImpl& impl(const Topology& topology) { return *topology.impl_; }
  static std::shared_ptr<const TopologyImpl> shared(const Topology& topology) {
    return topology.impl_;
  }
  static Topology make(std::shared_ptr<const TopologyImpl> impl, CpuList allowed) {
    return Topology(std::move(impl), std::move(allowed));
  }
};
}  // namespace detail

// Loading (load.cpp). `configure` has set the backend (XML, synthetic) or nothing (this
// system); `what` names the source in error messages. A failing hwloc_topology_load
// throws `load_failure` when given (a backend-independent message), else a generic one.
HwlocTopologyPtr new_hwloc_topology();
std::shared_ptr<TopologyImpl> load_impl(HwlocTopologyPtr topology, std::string source,
                                        const std::string& what,
                                        const std::string& load_failure = {});

// Why `text` cannot be an hwloc XML topology (xml_shape.cpp), or nothing when its
// shape is plausible: the root element must be <topology> and it must be closed.
std::optional<std::string> xml_shape_problem(std::string_view text);
// hwloc's allowed cpuset ∩ the PUs that exist (∩ the process binding on this system).
CpuList discover_allowed(const TopologyImpl& impl);

// Throws TopologyError unless `topology` is the live machine: hwloc's XML and synthetic
// backends report success for binding and do nothing (pinning.cpp).
void require_this_system(const Topology& topology, std::string_view action);

// The domain id of `pu` for class `cls` (classify.cpp): PUs with the same non-zero id
// are in one domain of that class. same_pu: one domain per PU; machine: one for all.
std::uint32_t domain_of(const PuRecord& pu, PlacementClass cls);

// The class of two PU records (classify.cpp), with no existence checks.
PlacementClass classify_records(const PuRecord& a, const PuRecord& b);

}  // namespace rcbench::topo
