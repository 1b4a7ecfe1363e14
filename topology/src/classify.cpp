// Placement classes from hwloc's view of shared objects.
//
// The rule, for two different PUs, checked nearest first:
//   same Core object                  -> smt
//   same L2 cache object              -> l2    (a cluster's shared L2 counts, whatever the
//                                               cores are called)
//   same L3 cache object              -> l3
//   both in packages, different ones  -> machine (hwloc Groups above packages, such as SGI
//                                               UV blades, do not make a closer class)
//   same NUMA domain                  -> numa  (same package, or both without one, and the
//                                               same non-empty set of local NUMA nodes)
//   same package                      -> package
//   otherwise                         -> machine
// A level the machine does not have never matches: without L2 objects (a POWER8 export)
// pairs of cores go straight to l3 or beyond; without an L3 (KNL) pairs on different tiles
// of one NUMA node are numa. A package with one NUMA node therefore has no package pairs:
// its cross-L3 pairs are numa (Zen 4 in NPS1).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "impl.hpp"

namespace rcbench::topo {

namespace {

bool share(const PuRecord& a, const PuRecord& b, Level level) {
  return a.domain[level] != 0 && a.domain[level] == b.domain[level];
}

}  // namespace

PlacementClass classify_records(const PuRecord& a, const PuRecord& b) {
  if (a.os_index == b.os_index) return PlacementClass::same_pu;
  if (share(a, b, kCore)) return PlacementClass::smt;
  if (share(a, b, kL2)) return PlacementClass::l2;
  if (share(a, b, kL3)) return PlacementClass::l3;
  const bool both_in_packages = a.domain[kPackage] != 0 && b.domain[kPackage] != 0;
  if (both_in_packages && a.domain[kPackage] != b.domain[kPackage]) {
    return PlacementClass::machine;
  }
  if (share(a, b, kNuma)) return PlacementClass::numa;
  if (both_in_packages) return PlacementClass::package;
  return PlacementClass::machine;
}

std::uint32_t domain_of(const PuRecord& pu, PlacementClass cls) {
  switch (cls) {
    case PlacementClass::same_pu:
      return pu.os_index + 1;
    case PlacementClass::smt:
      return pu.domain[kCore];
    case PlacementClass::l2:
      return pu.domain[kL2];
    case PlacementClass::l3:
      return pu.domain[kL3];
    case PlacementClass::numa:
      return pu.domain[kNuma];
    case PlacementClass::package:
      return pu.domain[kPackage];
    case PlacementClass::machine:
      return 1;
  }
  return 0;
}

PlacementClass Topology::classify(unsigned pu_a, unsigned pu_b) const {
  return classify_records(impl_->at(pu_a), impl_->at(pu_b));
}

PlacementClass Topology::nearest_common_class(const CpuList& pus) const {
  if (pus.empty()) throw TopologyError("cannot classify an empty list of PUs");
  std::vector<const PuRecord*> records;
  records.reserve(pus.size());
  for (unsigned pu : pus) records.push_back(&impl_->at(pu));
  // All pairs rather than "first PU against the others": the shortcut is exact only when
  // every level nests in the next, which hwloc does not promise for NUMA domains.
  PlacementClass widest = PlacementClass::same_pu;
  for (std::size_t i = 0; i < records.size(); ++i) {
    for (std::size_t j = i + 1; j < records.size(); ++j) {
      widest = std::max(widest, classify_records(*records[i], *records[j]));
      if (widest == PlacementClass::machine) return widest;
    }
  }
  return widest;
}

std::vector<PuPair> Topology::representative_pairs(bool include_same_pu) const {
  std::vector<const PuRecord*> allowed;
  allowed.reserve(allowed_.size());
  for (const PuRecord& record : impl_->pus) {
    if (allowed_.contains(record.os_index)) allowed.push_back(&record);
  }
  std::vector<PuPair> pairs;
  if (include_same_pu && !allowed.empty()) {
    pairs.push_back({allowed[0]->os_index, allowed[0]->os_index, PlacementClass::same_pu});
  }
  for (PlacementClass cls : kAllPlacementClasses) {
    if (cls == PlacementClass::same_pu) continue;
    // Inside one domain of the class, if any two allowed PUs are exactly `cls` apart then
    // so are the domain's first PU and one of the others (the closer levels nest), so one
    // scan per domain, stopping at the first domain that has such a pair, is enough.
    std::map<std::uint32_t, const PuRecord*> first_of_domain;
    for (const PuRecord* pu : allowed) {
      const std::uint32_t domain = domain_of(*pu, cls);
      if (domain == 0) continue;
      const auto [first, inserted] = first_of_domain.try_emplace(domain, pu);
      if (!inserted && classify_records(*first->second, *pu) == cls) {
        pairs.push_back({first->second->os_index, pu->os_index, cls});
        break;
      }
    }
  }
  return pairs;
}

}  // namespace rcbench::topo
