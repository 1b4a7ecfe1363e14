// MachineSummary's sizes (issue 18): cache levels with the PUs sharing each instance,
// NUMA nodes with their memory, and the total, on synthetic machines whose sizes the
// description states.
#include <gtest/gtest.h>

#include <rcbench/topology/json.hpp>
#include <rcbench/topology/topology.hpp>

namespace {

using rcbench::topo::CpuList;
using rcbench::topo::Topology;

constexpr std::uint64_t kGiB = 1024ull * 1024 * 1024;
constexpr std::uint64_t kMiB = 1024ull * 1024;

TEST(SummarySizes, CachesListEachInstancesPusAndSize) {
  // 2 packages x 1 NUMA node x 1 L3 x 2 cores (each with an L2) x 2 PUs: 8 PUs.
  const auto s = Topology::from_synthetic(
                     "pack:2 numa:1(memory=1GiB) l3:1(size=16MiB) l2:2(size=1MiB) core:1 pu:2")
                     .summary();
  ASSERT_EQ(s.caches.size(), 2u);  // L2 then L3: nearest first
  EXPECT_EQ(s.caches[0].level, 2u);
  EXPECT_EQ(s.caches[0].size_bytes, 1 * kMiB);
  EXPECT_EQ(s.caches[0].type, "unified");
  EXPECT_EQ(s.caches[0].sharing,
            (std::vector<CpuList>{CpuList{0, 1}, CpuList{2, 3}, CpuList{4, 5}, CpuList{6, 7}}));
  EXPECT_EQ(s.caches[1].level, 3u);
  EXPECT_EQ(s.caches[1].size_bytes, 16 * kMiB);
  EXPECT_EQ(s.caches[1].sharing, (std::vector<CpuList>{CpuList{0, 1, 2, 3}, CpuList{4, 5, 6, 7}}));
}

TEST(SummarySizes, NumaNodesCarryTheirMemoryAndPus) {
  const auto s = Topology::from_synthetic("pack:2 numa:1(memory=1GiB) core:2 pu:1").summary();
  ASSERT_EQ(s.numa.size(), 2u);
  EXPECT_EQ(s.numa[0].memory_bytes, kGiB);
  EXPECT_EQ(s.numa[0].pus, (CpuList{0, 1}));
  EXPECT_EQ(s.numa[1].pus, (CpuList{2, 3}));
  EXPECT_EQ(s.memory_bytes, 2 * kGiB);

  const nlohmann::json j = s;
  EXPECT_EQ(j["memory_bytes"], 2 * kGiB);
  EXPECT_EQ(j["numa"][1], (nlohmann::json{{"node", 1}, {"memory_bytes", kGiB}, {"pus", "2-3"}}));
}

TEST(SummarySizes, JsonHasOneEntryPerLevelWithTheSharingLists) {
  const nlohmann::json j = Topology::from_synthetic("pack:1 l3:1(size=32MiB) core:2 pu:2").summary();
  ASSERT_EQ(j["caches"].size(), 1u);
  EXPECT_EQ(j["caches"][0], (nlohmann::json{{"level", 3}, {"type", "unified"}, {"size_bytes", 32 * kMiB},
                                            {"instances", 1}, {"sharing", {"0-3"}}}));
}

}  // namespace
