#include <rcbench/topology/placement_class.hpp>

namespace rcbench::topo {

std::string_view to_string(PlacementClass cls) {
  switch (cls) {
    case PlacementClass::same_pu:
      return "same_pu";
    case PlacementClass::smt:
      return "smt";
    case PlacementClass::l2:
      return "l2";
    case PlacementClass::l3:
      return "l3";
    case PlacementClass::numa:
      return "numa";
    case PlacementClass::package:
      return "package";
    case PlacementClass::machine:
      return "machine";
  }
  return "unknown";
}

std::optional<PlacementClass> parse_placement_class(std::string_view name) {
  for (PlacementClass cls : kAllPlacementClasses) {
    if (to_string(cls) == name) return cls;
  }
  return std::nullopt;
}

}  // namespace rcbench::topo
