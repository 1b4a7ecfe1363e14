// Placement classes on synthetic machines, expectations derived by hand from the
// description (hwloc numbers a synthetic machine's PUs 0, 1, 2, ... in depth-first order,
// so PU i's position in each level is i written in the mixed radix of the level counts).
#include <gtest/gtest.h>

#include <rcbench/topology/topology.hpp>
#include <string>
#include <vector>

namespace rcbench::topo {
namespace {

using C = PlacementClass;

struct Expected {
  unsigned a, b;
  PlacementClass cls;
};

struct Shape {
  const char* name;
  const char* description;
  std::vector<Expected> pairs;
  std::vector<PlacementClass> classes_present;
};

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> all = {
      // Every class: 2 packages x 2 NUMA x 2 L3 x 2 L2 x 2 cores x 2 PUs; PU bits are
      // (package, numa, l3, l2, core, pu) from high to low.
      {"every_class",
       "pack:2 numa:2 l3:2 l2:2 core:2 pu:2",
       {{0, 0, C::same_pu},
        {0, 1, C::smt},
        {16, 17, C::smt},
        {0, 2, C::l2},
        {1, 3, C::l2},
        {0, 4, C::l3},
        {3, 7, C::l3},
        {0, 8, C::numa},
        {7, 15, C::numa},
        {0, 16, C::package},
        {33, 62, C::package},
        {0, 32, C::machine},
        {31, 32, C::machine},
        {0, 63, C::machine}},
       {C::same_pu, C::smt, C::l2, C::l3, C::numa, C::package, C::machine}},
      // No SMT, several L3 per package, one NUMA node for the whole machine (Zen 4 NPS1
      // without SMT): cross-L3 pairs in a package share only the NUMA node.
      {"no_smt_one_numa",
       "pack:2 l3:2 core:4 pu:1",
       {{0, 1, C::l3},
        {0, 3, C::l3},
        {0, 4, C::numa},
        {5, 7, C::l3},
        {0, 8, C::machine},
        {7, 8, C::machine}},
       {C::same_pu, C::l3, C::numa, C::machine}},
      {"single_pu", "pu:1", {{0, 0, C::same_pu}}, {C::same_pu}},
      // An L2 shared by a cluster of cores (Raptor Lake E-cores, Bulldozer modules).
      {"cluster_l2",
       "pack:1 l3:1 l2:2 core:4 pu:1",
       {{0, 1, C::l2}, {0, 3, C::l2}, {0, 4, C::l3}, {3, 4, C::l3}},
       {C::same_pu, C::l2, C::l3}},
      // No L3, an L2 per 2-core tile, 4 threads per core (KNL): tiles share the NUMA node.
      {"no_l3_tiles",
       "pack:1 l2:4 core:2 pu:4",
       {{0, 3, C::smt}, {0, 4, C::l2}, {0, 8, C::numa}, {9, 31, C::numa}},
       {C::same_pu, C::smt, C::l2, C::numa}},
      // Sub-NUMA clustering under one L3 per package: the shared L3 is nearer than the
      // NUMA node, so same-L3 pairs are l3 whichever NUMA node they are in.
      {"snc_under_one_l3",
       "pack:2 l3:1 numa:2 core:2 pu:1",
       {{0, 1, C::l3}, {0, 2, C::l3}, {0, 4, C::machine}},
       {C::same_pu, C::l3, C::machine}},
      // A NUMA node per L3, two per package (Opteron 6200): cross-L3 pairs are package.
      {"numa_per_l3",
       "pack:2 l3:2 numa:1 l2:2 core:2 pu:1",
       {{0, 1, C::l2}, {0, 2, C::l3}, {0, 4, C::package}, {3, 7, C::package}, {0, 8, C::machine}},
       {C::same_pu, C::l2, C::l3, C::package, C::machine}},
      // Groups above packages (SGI UV blades): a shared Group is not a class, so pairs in
      // different packages are machine even within one Group.
      {"groups_above_packages",
       "group:2 pack:2 core:2 pu:1",
       {{0, 1, C::numa}, {0, 2, C::machine}, {0, 4, C::machine}},
       {C::same_pu, C::numa, C::machine}},
      // No package objects at all: the NUMA node is the widest domain known.
      {"no_packages_one_numa",
       "core:2 pu:2",
       {{0, 1, C::smt}, {1, 2, C::numa}},
       {C::same_pu, C::smt, C::numa}},
      {"no_packages_two_numa",
       "numa:2 core:2 pu:1",
       {{0, 1, C::numa}, {1, 2, C::machine}},
       {C::same_pu, C::numa, C::machine}},
  };
  return all;
}

class SyntheticShape : public ::testing::TestWithParam<Shape> {};

TEST_P(SyntheticShape, ClassifiesPairsAsDerivedByHand) {
  const Topology topology = Topology::from_synthetic(GetParam().description);
  for (const Expected& pair : GetParam().pairs) {
    EXPECT_EQ(topology.classify(pair.a, pair.b), pair.cls)
        << "PUs " << pair.a << "," << pair.b << ": expected " << to_string(pair.cls) << ", got "
        << to_string(topology.classify(pair.a, pair.b));
    EXPECT_EQ(topology.classify(pair.b, pair.a), pair.cls) << "classify must be symmetric";
  }
}

TEST_P(SyntheticShape, ReportsTheClassesPresent) {
  const Topology topology = Topology::from_synthetic(GetParam().description);
  EXPECT_EQ(topology.summary().classes_present, GetParam().classes_present);
  // One representative pair per class, nearest first, each really of its class.
  const std::vector<PuPair> pairs = topology.representative_pairs(/*include_same_pu=*/true);
  ASSERT_EQ(pairs.size(), GetParam().classes_present.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(pairs[i].cls, GetParam().classes_present[i]);
    EXPECT_EQ(topology.classify(pairs[i].a, pairs[i].b), pairs[i].cls);
  }
  EXPECT_EQ(topology.representative_pairs().size(), pairs.size() - 1) << "same_pu only on request";
}

INSTANTIATE_TEST_SUITE_P(Shapes, SyntheticShape, ::testing::ValuesIn(shapes()),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(Synthetic, SummaryCountsTheMachine) {
  const MachineSummary summary =
      Topology::from_synthetic("pack:2 numa:2 l3:2 l2:2 core:2 pu:2").summary();
  EXPECT_EQ(summary.packages, 2U);
  EXPECT_EQ(summary.numa_nodes, 4U);
  EXPECT_EQ(summary.l3_caches, 8U);
  EXPECT_EQ(summary.l2_caches, 16U);
  EXPECT_EQ(summary.cores, 32U);
  EXPECT_EQ(summary.pus, 64U);
  EXPECT_TRUE(summary.smt);
  EXPECT_EQ(summary.allowed.to_string(), "0-63");
  EXPECT_FALSE(summary.allowed_is_restricted());
  EXPECT_FALSE(summary.this_system);
  EXPECT_EQ(summary.source, "synthetic: pack:2 numa:2 l3:2 l2:2 core:2 pu:2");
  EXPECT_FALSE(Topology::from_synthetic("pack:2 l3:2 core:4 pu:1").summary().smt);
}

TEST(Synthetic, RepresentativePairsAreTheEarliestInLogicalOrder) {
  const Topology topology = Topology::from_synthetic("pack:2 numa:2 l3:2 l2:2 core:2 pu:2");
  const std::vector<PuPair> expected = {{0, 0, C::same_pu}, {0, 1, C::smt},  {0, 2, C::l2},
                                        {0, 4, C::l3},      {0, 8, C::numa}, {0, 16, C::package},
                                        {0, 32, C::machine}};
  EXPECT_EQ(topology.representative_pairs(true), expected);
}

TEST(Synthetic, RepresentativePairsUseAllowedPusOnly) {
  const Topology topology = Topology::from_synthetic("pack:2 numa:2 l3:2 l2:2 core:2 pu:2")
                                .restrict_to(CpuList{1, 2, 9, 40});
  const std::vector<PuPair> expected = {{1, 2, C::l2}, {1, 9, C::numa}, {1, 40, C::machine}};
  EXPECT_EQ(topology.representative_pairs(), expected);
}

TEST(Synthetic, NearestCommonClassIsTheWidestPair) {
  const Topology topology = Topology::from_synthetic("pack:2 numa:2 l3:2 l2:2 core:2 pu:2");
  EXPECT_EQ(topology.nearest_common_class(CpuList{5}), C::same_pu);
  EXPECT_EQ(topology.nearest_common_class(CpuList{0, 1}), C::smt);
  EXPECT_EQ(topology.nearest_common_class(CpuList{0, 1, 2}), C::l2);
  EXPECT_EQ(topology.nearest_common_class(CpuList{0, 4, 8}), C::numa);
  EXPECT_EQ(topology.nearest_common_class(CpuList{1, 2, 3, 16}), C::package);
  EXPECT_EQ(topology.nearest_common_class(CpuList{0, 1, 63}), C::machine);
  EXPECT_THROW(topology.nearest_common_class(CpuList{}), TopologyError);
  EXPECT_THROW(topology.nearest_common_class(CpuList{0, 64}), TopologyError);
}

TEST(Synthetic, UnknownPusAreErrorsThatNameThem) {
  const Topology topology = Topology::from_synthetic("pack:2 core:2 pu:1");
  try {
    topology.classify(0, 999);
    FAIL() << "no error";
  } catch (const TopologyError& error) {
    EXPECT_NE(std::string(error.what()).find("PU 999 does not exist"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("0-3"), std::string::npos) << error.what();
  }
  EXPECT_THROW(topology.numa_node_of_pu(4), TopologyError);
}

TEST(Synthetic, NumaNodeOfPu) {
  const Topology topology = Topology::from_synthetic("pack:2 numa:2 core:2 pu:1");
  EXPECT_EQ(topology.numa_node_of_pu(0), 0U);
  EXPECT_EQ(topology.numa_node_of_pu(2), 1U);
  EXPECT_EQ(topology.numa_node_of_pu(7), 3U);
}

TEST(Synthetic, RestrictToNarrowsTheAllowedSet) {
  const Topology topology = Topology::from_synthetic("pack:1 core:4 pu:1");
  const Topology narrow = topology.restrict_to(CpuList{1, 3, 9});
  EXPECT_EQ(narrow.allowed_pus().to_string(), "1,3");
  EXPECT_TRUE(narrow.summary().allowed_is_restricted());
  EXPECT_EQ(narrow.summary().pus, 4U) << "the machine is still the whole machine";
  EXPECT_EQ(topology.allowed_pus().to_string(), "0-3") << "the original is unchanged";
  EXPECT_THROW(topology.restrict_to(CpuList{7, 8}), TopologyError);
}

}  // namespace
}  // namespace rcbench::topo
