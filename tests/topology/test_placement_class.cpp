#include <gtest/gtest.h>

#include <rcbench/topology/placement_class.hpp>
#include <rcbench/topology/topology.hpp>
#include <stdexcept>
#include <string>

namespace rcbench::topo {
namespace {

TEST(PlacementClass, NamesRoundTripAndOrderNearestFirst) {
  const char* names[] = {"same_pu", "smt", "l2", "l3", "numa", "package", "machine"};
  for (std::size_t i = 0; i < kAllPlacementClasses.size(); ++i) {
    EXPECT_EQ(to_string(kAllPlacementClasses[i]), names[i]);
    EXPECT_EQ(parse_placement_class(names[i]), kAllPlacementClasses[i]);
    if (i > 0) {
      EXPECT_LT(kAllPlacementClasses[i - 1], kAllPlacementClasses[i]);
    }
  }
}

TEST(PlacementClass, UnknownNamesAreRejected) {
  EXPECT_FALSE(parse_placement_class("L3").has_value());
  EXPECT_FALSE(parse_placement_class("socket").has_value());
  EXPECT_FALSE(parse_placement_class("").has_value());
}

TEST(PlanRequest, ParsesPolicies) {
  EXPECT_EQ(PlanRequest::parse(4, "compact").policy, Policy::compact);
  EXPECT_EQ(PlanRequest::parse(4, "scatter").policy, Policy::scatter);
  const PlanRequest within = PlanRequest::parse(3, "within:numa");
  EXPECT_EQ(within.policy, Policy::within);
  EXPECT_EQ(within.within, PlacementClass::numa);
  EXPECT_EQ(within.threads, 3U);
  EXPECT_EQ(to_string(within), "within:numa");
  EXPECT_EQ(to_string(PlanRequest::parse(1, "scatter")), "scatter");
}

TEST(PlanRequest, RejectsUnknownPoliciesWithTheAcceptedForms) {
  try {
    PlanRequest::parse(2, "spread");
    FAIL() << "no error";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("within:<class>"), std::string::npos);
  }
  EXPECT_THROW(PlanRequest::parse(2, "within:l4"), std::invalid_argument);
  EXPECT_THROW(PlanRequest::parse(2, "within:"), std::invalid_argument);
}

}  // namespace
}  // namespace rcbench::topo
