// all_pairs: the core-to-core matrix and its seeded samples.
#include <gtest/gtest.h>

#include <algorithm>
#include <rcbench/topology/topology.hpp>
#include <set>
#include <utility>

#include "topology_files.hpp"

namespace rcbench::topo {
namespace {

TEST(AllPairs, EveryUnorderedPairOnceInOrderWithItsClass) {
  const Topology topology = Topology::from_synthetic("pack:2 l3:2 core:2 pu:2");
  const std::vector<PuPair> pairs = topology.all_pairs();
  ASSERT_EQ(pairs.size(), 16U * 15U / 2U);
  std::set<std::pair<unsigned, unsigned>> seen;
  for (const PuPair& pair : pairs) {
    EXPECT_LT(pair.a, pair.b);
    EXPECT_EQ(pair.cls, topology.classify(pair.a, pair.b));
    seen.insert({pair.a, pair.b});
  }
  EXPECT_EQ(seen.size(), pairs.size());
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end(), [](const PuPair& x, const PuPair& y) {
    return std::make_pair(x.a, x.b) < std::make_pair(y.a, y.b);
  }));
}

TEST(AllPairs, OnlyAllowedPus) {
  const Topology topology =
      Topology::from_synthetic("pack:2 core:4 pu:1").restrict_to(CpuList{1, 5, 6});
  const std::vector<PuPair> expected = {{1, 5, PlacementClass::machine},
                                        {1, 6, PlacementClass::machine},
                                        {5, 6, PlacementClass::numa}};
  EXPECT_EQ(topology.all_pairs(), expected);
  EXPECT_TRUE(Topology::from_synthetic("pu:1").all_pairs().empty());
}

TEST(AllPairs, The384PuMachineHas73536Pairs) {
  const Topology topology = Topology::from_xml(testing::xml_path("AMD-19h-Zen4-2xEpyc-9654.xml"));
  EXPECT_EQ(topology.all_pairs().size(), 73536U);
}

TEST(AllPairs, SamplesAreDeterministicSubsetsOfTheRequestedSize) {
  const Topology topology = Topology::from_xml(testing::xml_path("AMD-19h-Zen4-2xEpyc-9654.xml"));
  const std::vector<PuPair> all = topology.all_pairs();
  const std::vector<PuPair> sample = topology.all_pairs(100, 7);
  ASSERT_EQ(sample.size(), 100U);
  EXPECT_EQ(topology.all_pairs(100, 7), sample) << "same seed, same pairs";
  EXPECT_NE(topology.all_pairs(100, 8), sample) << "another seed, other pairs";
  for (const PuPair& pair : sample) {
    EXPECT_TRUE(
        std::binary_search(all.begin(), all.end(), pair, [](const PuPair& x, const PuPair& y) {
          return std::make_pair(x.a, x.b) < std::make_pair(y.a, y.b);
        }));
  }
  // Selection sampling keeps the order of the full list and spreads over it.
  EXPECT_LT(sample.front().a, 50U);
  EXPECT_GT(sample.back().a, 300U);
}

TEST(AllPairs, SampleEdgeCases) {
  const Topology topology = Topology::from_synthetic("pack:1 core:4 pu:1");
  EXPECT_EQ(topology.all_pairs(6, 1), topology.all_pairs()) << "k = all pairs";
  EXPECT_EQ(topology.all_pairs(1000, 1), topology.all_pairs()) << "k above all pairs";
  EXPECT_TRUE(topology.all_pairs(0, 1).empty());
}

// Pins the selection method: std::mt19937_64's output is fixed by the C++ standard, so
// these pairs must come out on every platform and standard library. The expected pairs
// were computed by a separate Python implementation of mt19937_64 and Algorithm S.
TEST(AllPairs, SeededSampleIsStableAcrossPlatforms) {
  const Topology topology = Topology::from_synthetic("pack:1 core:8 pu:1");
  std::vector<std::pair<unsigned, unsigned>> got;
  for (const PuPair& pair : topology.all_pairs(4, 42)) got.emplace_back(pair.a, pair.b);
  const std::vector<std::pair<unsigned, unsigned>> expected = {{0, 6}, {1, 2}, {1, 6}, {6, 7}};
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace rcbench::topo
