// Plans: compact, scatter and within:<class>, hand-checked on synthetic shapes and real
// machines, plus properties every XML machine must satisfy.
#include <gtest/gtest.h>

#include <rcbench/topology/topology.hpp>
#include <string>

#include "topology_files.hpp"

namespace rcbench::topo {
namespace {

using C = PlacementClass;
using testing::xml_path;

std::string plan(const Topology& topology, unsigned threads, std::string_view policy) {
  return topology.plan(PlanRequest::parse(threads, policy)).to_string();
}

std::string plan_error(const Topology& topology, unsigned threads, std::string_view policy) {
  try {
    topology.plan(PlanRequest::parse(threads, policy));
  } catch (const PlanError& error) {
    return error.what();
  }
  return "(no error)";
}

// PU bits of this shape, high to low: package, numa, l3, l2, core, pu.
const char* const kEveryClass = "pack:2 numa:2 l3:2 l2:2 core:2 pu:2";

TEST(Plan, CompactTakesTheFirstPusInLogicalOrder) {
  const Topology topology = Topology::from_synthetic(kEveryClass);
  EXPECT_EQ(plan(topology, 1, "compact"), "0");
  EXPECT_EQ(plan(topology, 3, "compact"), "0-2");
  EXPECT_EQ(plan(topology, 64, "compact"), "0-63");
}

TEST(Plan, ScatterSpreadsOverPackagesThenNumaThenCachesThenCores) {
  const Topology topology = Topology::from_synthetic(kEveryClass);
  EXPECT_EQ(plan(topology, 2, "scatter"), "0,32");                   // both packages
  EXPECT_EQ(plan(topology, 4, "scatter"), "0,16,32,48");             // every NUMA node
  EXPECT_EQ(plan(topology, 8, "scatter"), "0,8,16,24,32,40,48,56");  // every L3
  EXPECT_EQ(plan(topology, 16, "scatter"), "0,4,8,12,16,20,24,28,32,36,40,44,48,52,56,60");
  EXPECT_EQ(topology.plan(PlanRequest::parse(32, "scatter")), CpuList::parse("0-62:2"))
      << "one thread per core before any SMT sibling";
  EXPECT_EQ(topology.plan(PlanRequest::parse(33, "scatter")), CpuList::parse("0-62:2,1"));
}

TEST(Plan, WithinKeepsThreadsInOneDomainSpreadInsideIt) {
  const Topology topology = Topology::from_synthetic(kEveryClass);
  EXPECT_EQ(plan(topology, 2, "within:smt"), "0-1");
  EXPECT_EQ(plan(topology, 2, "within:l2"), "0,2");
  EXPECT_EQ(plan(topology, 4, "within:l3"), "0,2,4,6");
  EXPECT_EQ(plan(topology, 8, "within:l3"), "0-7");
  EXPECT_EQ(plan(topology, 2, "within:numa"), "0,8");
  EXPECT_EQ(plan(topology, 2, "within:package"), "0,16");
  EXPECT_EQ(plan(topology, 2, "within:machine"), "0,32");
  EXPECT_EQ(plan(topology, 1, "within:same_pu"), "0");
}

TEST(Plan, WithinFailsWhenNoDomainIsLargeEnough) {
  const Topology topology = Topology::from_synthetic(kEveryClass);
  EXPECT_EQ(plan_error(topology, 9, "within:l3"),
            "9 threads within one l3: the largest l3 has 8 allowed PUs");
  EXPECT_EQ(plan_error(topology, 2, "within:same_pu"),
            "2 threads within one same_pu: the largest same_pu has 1 allowed PU");
  EXPECT_EQ(plan_error(topology.restrict_to(CpuList::parse("0-1,8-9")), 3, "within:l3"),
            "3 threads within one l3: the largest l3 has 2 allowed PUs");
  EXPECT_NE(plan_error(Topology::from_synthetic("pack:1 l2:4 core:2 pu:4"), 2, "within:l3")
                .find("no l3 domain"),
            std::string::npos);
}

TEST(Plan, ImpossibleThreadCountsAreErrors) {
  const Topology topology = Topology::from_synthetic(kEveryClass);
  EXPECT_EQ(plan_error(topology, 65, "compact"),
            "65 threads need 65 PUs, but only 64 are allowed (0-63; the machine has 64 PUs)");
  EXPECT_EQ(plan_error(topology.restrict_to(CpuList{3}), 2, "scatter"),
            "2 threads need 2 PUs, but only 1 is allowed (3; the machine has 64 PUs)");
  EXPECT_EQ(plan_error(topology, 0, "compact"), "a plan needs at least one thread");
}

TEST(Plan, UsesAllowedPusOnly) {
  const Topology topology =
      Topology::from_synthetic(kEveryClass).restrict_to(CpuList::parse("1,3,5-7,40-63"));
  EXPECT_EQ(plan(topology, 3, "compact"), "1,3,5");
  EXPECT_EQ(plan(topology, 2, "scatter"), "1,40");
  // L3 0 holds allowed PUs 1,3,5,6,7; spread inside it over its two L2s first.
  EXPECT_EQ(plan(topology, 3, "within:l3"), "1,3,5");
}

// Hand-checked against `lstopo-no-graphics --input FILE`.
TEST(PlanOnXml, Zen4TwoSockets) {
  const Topology topology = Topology::from_xml(xml_path("AMD-19h-Zen4-2xEpyc-9654.xml"));
  // Core L#0 holds PUs 0 and 192; CCD (L3) 0 holds cores 0-7; package 1 starts at PU 96.
  EXPECT_EQ(plan(topology, 2, "compact"), "0,192");
  EXPECT_EQ(plan(topology, 16, "compact"), "0-7,192-199");
  EXPECT_EQ(plan(topology, 2, "scatter"), "0,96");
  EXPECT_EQ(plan(topology, 4, "scatter"), "0,8,96,104");
  EXPECT_EQ(plan(topology, 8, "within:l3"), "0-7");
  EXPECT_EQ(plan(topology, 16, "within:l3"), "0-7,192-199");
  EXPECT_EQ(plan(topology, 2, "within:numa"), "0,8");
  EXPECT_EQ(plan_error(topology, 17, "within:l3"),
            "17 threads within one l3: the largest l3 has 16 allowed PUs");
}

TEST(PlanOnXml, RaptorLakeHybrid) {
  const Topology topology = Topology::from_xml(xml_path("Intel-RaptorLake-Corei7-1370P.xml"));
  // P-cores: PUs 0-11 (two per core, own L2); E-cores: 12-15 and 16-19 share one L2 each.
  EXPECT_EQ(plan(topology, 2, "within:l2"), "12-13")
      << "an E-core cluster, not a P-core's two hardware threads";
  EXPECT_EQ(plan(topology, 4, "within:l2"), "12-15");
  EXPECT_EQ(plan_error(topology, 5, "within:l2"),
            "5 threads within one l2: the largest l2 has 4 allowed PUs");
  EXPECT_EQ(plan(topology, 14, "scatter"), "0,2,4,6,8,10,12-19")
      << "every core once, E-cores included, before any P-core sibling";
  EXPECT_EQ(plan(topology, 15, "scatter"), "0-2,4,6,8,10,12-19");
}

TEST(PlanOnXml, Zen1SiblingsAreFarApartInOsNumbering) {
  const Topology topology = Topology::from_xml(xml_path("AMD-17h-Zen-2xEpyc-7451.xml"));
  // Core L#0 holds PUs 0 and 48: compact follows hwloc, not OS numbering.
  EXPECT_EQ(plan(topology, 2, "compact"), "0,48");
  EXPECT_EQ(plan(topology, 2, "within:package"), "0,6") << "two NUMA nodes (dies) of package 0";
}

class PlanProperties : public ::testing::TestWithParam<std::string> {};

TEST_P(PlanProperties, PlansGrowByOnePuAndScatterAvoidsSharing) {
  const Topology topology = Topology::from_xml(xml_path(GetParam()));
  const MachineSummary summary = topology.summary();
  const auto n = static_cast<unsigned>(topology.allowed_pus().size());
  CpuList previous_compact;
  CpuList previous_scatter;
  for (unsigned threads = 1; threads <= n; ++threads) {
    const CpuList compact = topology.plan({threads, Policy::compact});
    const CpuList scatter = topology.plan({threads, Policy::scatter});
    ASSERT_EQ(compact.size(), threads);
    ASSERT_EQ(scatter.size(), threads);
    ASSERT_TRUE(previous_compact.is_subset_of(compact)) << threads << " threads";
    ASSERT_TRUE(previous_scatter.is_subset_of(scatter)) << threads << " threads";
    ASSERT_TRUE(scatter.is_subset_of(topology.allowed_pus()));
    previous_compact = compact;
    previous_scatter = scatter;
  }
  // One thread per core: no two on one core while a core is free.
  const CpuList one_per_core = topology.plan({summary.cores, Policy::scatter});
  for (unsigned a : one_per_core) {
    for (unsigned b : one_per_core) {
      if (a < b) {
        ASSERT_GT(topology.classify(a, b), C::smt) << a << "," << b;
      }
    }
  }
  // One thread per package: every pair crosses packages.
  if (summary.packages > 1) {
    const CpuList one_per_package = topology.plan({summary.packages, Policy::scatter});
    for (unsigned a : one_per_package) {
      for (unsigned b : one_per_package) {
        if (a < b) {
          ASSERT_EQ(topology.classify(a, b), C::machine) << a << "," << b;
        }
      }
    }
  }
}

TEST_P(PlanProperties, TwoThreadsWithinEachClassPresentAreExactlyThatClassApart) {
  const Topology topology = Topology::from_xml(xml_path(GetParam()));
  for (PlacementClass cls : topology.summary().classes_present) {
    if (cls == C::same_pu) continue;
    const CpuList pus = topology.plan({2, Policy::within, cls});
    EXPECT_EQ(topology.nearest_common_class(pus), cls)
        << "within:" << to_string(cls) << " gave " << pus.to_string();
  }
}

INSTANTIATE_TEST_SUITE_P(EveryXml, PlanProperties, ::testing::ValuesIn(testing::xml_names()),
                         [](const auto& p) { return testing::test_name(p.param); });

}  // namespace
}  // namespace rcbench::topo
