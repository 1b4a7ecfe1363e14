// Placement classes: the nearest cache or domain that two processing units (PUs) share.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace rcbench::topo {

// Ordered nearest first, so `a < b` means "a is a closer placement than b" and the class
// of a set of PUs is the maximum over its pairs.
//   same_pu  the same PU (one hardware thread)
//   smt      the same core, different hardware threads
//   l2       the same L2 cache, different cores (Bulldozer modules, Raptor Lake E-core
//            clusters, KNL tiles)
//   l3       the same L3 cache, different L2 caches
//   numa     the same NUMA node and package, no shared cache (e.g. two CCDs of a Zen 4
//            package in NPS1, two tiles of a KNL without L3)
//   package  the same package, different NUMA nodes (several NUMA nodes per package:
//            sub-NUMA clustering, Zen 1 dies, Opteron 6200)
//   machine  different packages (also across hwloc Group objects such as SGI UV blades:
//            Groups have no class of their own)
enum class PlacementClass { same_pu, smt, l2, l3, numa, package, machine };

inline constexpr std::array<PlacementClass, 7> kAllPlacementClasses{
    PlacementClass::same_pu, PlacementClass::smt,     PlacementClass::l2,     PlacementClass::l3,
    PlacementClass::numa,    PlacementClass::package, PlacementClass::machine};

// "same_pu", "smt", "l2", "l3", "numa", "package", "machine": the names used in the run
// JSON, benchmark names and tables.
std::string_view to_string(PlacementClass cls);

// The inverse of to_string (exact, lower case); nullopt for anything else.
std::optional<PlacementClass> parse_placement_class(std::string_view name);

}  // namespace rcbench::topo
