// Topology: one machine as hwloc sees it (the live system, an XML export or a synthetic
// description), reduced to what rcbench needs: which PUs exist and may be used, which
// placement class a pair of PUs falls in, and where N threads should run.
//
// All PU numbers are OS indices (what taskset, sched_getcpu() and /proc use), never hwloc
// logical indices. A Topology is immutable once loaded; copies share the loaded machine and
// are safe to use from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <rcbench/topology/cpu_list.hpp>
#include <rcbench/topology/errors.hpp>
#include <rcbench/topology/placement_class.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::topo {

// One cache level as hwloc sees it (data and unified caches; instruction caches are
// left out): its size and which PUs share each instance of it.
struct CacheLevel {
  unsigned level = 0;           // 1, 2, 3, ...
  std::string type;             // "data" | "unified"
  std::uint64_t size_bytes = 0; // per instance; 0 when the source does not say
  std::vector<CpuList> sharing; // the PUs (OS indices) of each instance, logical order
};

// One NUMA node: its memory and its PUs.
struct NumaNode {
  unsigned os_index = 0;
  std::uint64_t memory_bytes = 0;  // local memory; 0 when the source does not say
  CpuList pus;
};

struct MachineSummary {
  // Counts over the whole machine, including PUs this process may not use.
  unsigned packages = 0;
  unsigned numa_nodes = 0;
  unsigned l3_caches = 0;
  unsigned l2_caches = 0;
  unsigned cores = 0;
  unsigned pus = 0;
  bool smt = false;        // some core has more than one PU
  std::string cpu_model;   // hwloc's CPUModel info, trimmed; "" when the source has none
  std::string cpu_vendor;  // hwloc's CPUVendor info; "" when the source has none (ARM)
  CpuList allowed;         // the PUs plans may use (see Topology::allowed_pus)
  CpuList machine_pus;     // every PU of the machine
  bool this_system = false;
  std::string source;  // "this system" | the XML path | "synthetic: <description>"
  std::vector<PlacementClass> classes_present;  // among allowed PUs, nearest first
  // Sizes for the report's machine description: caches nearest first, one entry per
  // (level, type, size) so a hybrid CPU's two L2 sizes stay apart; memory in bytes.
  std::vector<CacheLevel> caches;
  std::vector<NumaNode> numa;
  std::uint64_t memory_bytes = 0;  // total over NUMA nodes; 0 when the source does not say

  // True when the affinity mask, the cgroup cpuset or restrict_to() hide some PUs.
  bool allowed_is_restricted() const { return allowed.size() < machine_pus.size(); }
};

struct PuPair {
  unsigned a = 0;
  unsigned b = 0;
  PlacementClass cls = PlacementClass::same_pu;
  friend bool operator==(const PuPair&, const PuPair&) = default;
};

// compact: the first N allowed PUs in hwloc's logical order, which fills a core's
//          hardware threads, then its L2, its L3, its NUMA node, its package, then the
//          next package: threads are as close as they can be.
// scatter: round-robin over packages, then NUMA nodes, then L3s, then L2s, then cores
//          (each level spreads before the next one is used); the second hardware thread
//          of a core is used only once every core of the machine has one thread.
// within:  all N threads in one domain of PlanRequest::within (one L3, one package, ...).
//          Inside a domain PUs are taken in scatter order, so the threads share that
//          domain and as little else as possible (two threads within:l3 land on different
//          cores). The domain is the first one, in logical order, with at least N allowed
//          PUs whose threads then are exactly that class apart, else the first one with at
//          least N allowed PUs (Raptor Lake within:l2 for 2 threads picks an E-core
//          cluster, whose cores share an L2, rather than one P-core's two threads).
enum class Policy { compact, scatter, within };

struct PlanRequest {
  unsigned threads = 1;
  Policy policy = Policy::compact;
  PlacementClass within = PlacementClass::l3;  // used by Policy::within only

  // "compact", "scatter", "within:<class>" (e.g. "within:l3"). Throws
  // std::invalid_argument naming the accepted forms.
  static PlanRequest parse(unsigned threads, std::string_view policy);
};

// "compact", "scatter", "within:l3".
std::string to_string(const PlanRequest& request);

namespace detail {
struct TopologyImpl;  // the loaded hwloc topology (private: src/impl.hpp)
struct TopologyAccess;
}  // namespace detail

class Topology {
 public:
  // The live machine. Allowed PUs = hwloc's allowed cpuset (the cgroup cpuset) ∩ the
  // process's CPU binding (taskset, sched_setaffinity), read when this is called: load
  // it before pinning any thread. Honours HWLOC_XMLFILE/HWLOC_SYNTHETIC like every hwloc
  // program; is_this_system() then says false and pinning is refused.
  static Topology this_system();
  // An hwloc XML export (format 2.x). Throws TopologyError on a missing, unreadable or
  // malformed file, or when no PU in it is allowed.
  static Topology from_xml(const std::filesystem::path& path);
  // hwloc's synthetic syntax, e.g. "pack:2 numa:2 l3:4 core:4 pu:2". Throws TopologyError
  // naming the first unknown object type when hwloc rejects the description.
  static Topology from_synthetic(std::string_view description);

  // The same machine with the allowed set narrowed to `pus` ∩ allowed_pus(), as if the
  // process had been started under taskset. Throws TopologyError if nothing remains.
  Topology restrict_to(const CpuList& pus) const;

  MachineSummary summary() const;
  const CpuList& allowed_pus() const { return allowed_; }
  bool is_this_system() const;
  std::string source() const;

  // The nearest class the two PUs share (see PlacementClass for the rule). Works for
  // any PU of the machine, allowed or not; throws TopologyError if a PU does not exist.
  PlacementClass classify(unsigned pu_a, unsigned pu_b) const;
  // The class all these PUs share: the maximum of classify() over their pairs; same_pu
  // for one PU. Throws TopologyError for an empty list or a PU that does not exist.
  PlacementClass nearest_common_class(const CpuList& pus) const;

  // One pair of allowed PUs per class present among them, nearest first: for each class,
  // the first PU (in hwloc's logical order) found that far from the first PU of its
  // domain. Cost: O(classes x allowed PUs) comparisons, never all pairs. The same_pu pair
  // (the first allowed PU with itself) only when asked.
  std::vector<PuPair> representative_pairs(bool include_same_pu = false) const;

  // The PUs for a plan (a sorted list; thread i does not map to a particular PU). Throws
  // PlanError explaining why a plan is impossible.
  CpuList plan(const PlanRequest& request) const;

  // Unordered pairs (a < b by OS index) of allowed PUs, in lexicographic order, for the
  // core-to-core matrix. With `sample` = k below the number of pairs: a subset of k pairs
  // chosen by selection sampling (Knuth's Algorithm S) driven by std::mt19937_64(seed);
  // the same seed and allowed set give the same pairs on every platform.
  std::vector<PuPair> all_pairs(std::optional<std::size_t> sample = {},
                                std::uint64_t seed = 1) const;

  // The allowed PUs (OS indices) in hwloc's logical order, in which every core, cache,
  // NUMA node and package is one contiguous run: the axis order of a core-to-core heat map.
  std::vector<unsigned> allowed_in_logical_order() const;

  // hwloc's XML export of the whole machine (including PUs that are not allowed), for
  // the result set: from_xml() on it gives back the same machine.
  std::string export_xml() const;

  // The OS index of the NUMA node local to `pu`; nullopt when the PU is local to several
  // nodes (KNL DDR + MCDRAM) or none. Throws TopologyError if the PU does not exist.
  std::optional<unsigned> numa_node_of_pu(unsigned pu) const;

 private:
  friend struct detail::TopologyAccess;
  Topology(std::shared_ptr<const detail::TopologyImpl> impl, CpuList allowed);

  std::shared_ptr<const detail::TopologyImpl> impl_;
  CpuList allowed_;
};

}  // namespace rcbench::topo
