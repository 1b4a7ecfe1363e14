// The plan: every strategy x workload x placement x thread count, each with its
// GIL baselines, on machine shapes this VM cannot show.
#include "plan.hpp"

#include "workloads/workload.hpp"

#include "rcbench/topology/topology.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <string>

namespace rcbench::harness {
namespace {

std::set<std::string> names(const std::vector<PlannedBenchmark>& plan) {
  std::set<std::string> out;
  for (const auto& pb : plan) out.insert(pb.spec.run_name());
  return out;
}

TEST(Plan, EveryRefcountRowHasBothGilBaselinesInThePlan) {
  const auto topo = topo::Topology::from_synthetic("pack:2 l3:2 core:2 pu:2");
  const auto plan = make_plan(find_profile("default"), topo, {});
  const auto all = names(plan);
  std::size_t checked = 0;
  for (const auto& pb : plan) {
    if (pb.spec.kind != BenchKind::refcount || pb.spec.strategy.starts_with("gil_")) continue;
    EXPECT_TRUE(all.count(pb.baseline)) << pb.spec.run_name() << " -> " << pb.baseline;
    EXPECT_TRUE(all.count(pb.baseline_lock)) << pb.spec.run_name() << " -> " << pb.baseline_lock;
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}

TEST(Plan, CoversStrategiesWorkloadsClassesAndThreadCounts) {
  // 16 PUs: SMT pairs, two L3s per package, two packages.
  const auto topo = topo::Topology::from_synthetic("pack:2 l3:2 core:2 pu:2");
  const Profile& p = find_profile("default");
  const auto plan = make_plan(p, topo, {});
  const auto classes = topo.representative_pairs(false);
  std::set<std::string> pair_placements;
  for (const auto& pr : classes) pair_placements.insert(std::string(topo::to_string(pr.cls)));
  ASSERT_GE(pair_placements.size(), 3u);  // smt, l3 and across packages at least

  std::set<std::tuple<std::string, std::string, std::string, int>> seen;
  std::set<int> thread_counts;
  for (const auto& pb : plan) {
    if (pb.spec.kind != BenchKind::refcount) continue;
    seen.insert({pb.spec.strategy, pb.spec.family_name(), pb.spec.placement, pb.spec.threads()});
    thread_counts.insert(pb.spec.threads());
  }
  EXPECT_EQ(thread_counts, (std::set<int>{1, 2, 4, 8, 16}));
  // Expected count, derived independently: one single-thread row per strategy,
  // then every workload for each pair class and for compact/scatter at 4, 8, 16
  // (at 16 threads compact and scatter are the same PUs: one row).
  // Strategies whose objects have owners (biased) add one single-thread `foreign` row.
  const std::size_t per_strategy = 1 + p.workloads.size() * (pair_placements.size() + 2 + 2 + 1);
  const std::size_t with_owners = 1;
  EXPECT_EQ(seen.size(), p.strategies.size() * per_strategy + with_owners);
}

TEST(Plan, EveryPlacementHasItsNullRowAndEveryPairBothPingPongMethods) {
  const auto topo = topo::Topology::from_synthetic("pack:2 l3:2 core:2 pu:2");
  const auto plan = make_plan(find_profile("default"), topo, {});
  std::set<std::pair<std::string, int>> placements, null_rows;
  std::map<std::string, std::set<std::string>> pingpong;
  for (const auto& pb : plan) {
    const BenchSpec& s = pb.spec;
    if (s.kind == BenchKind::refcount) placements.insert({s.placement, s.threads()});
    if (s.kind == BenchKind::overhead) {
      null_rows.insert({s.placement, s.threads()});
      EXPECT_EQ(s.ops_per_iteration, workloads::kOpsPerTimedBlock);
    }
    if (s.kind == BenchKind::pingpong && !s.matrix_cell) pingpong[s.placement].insert(s.run_name());
  }
  EXPECT_EQ(null_rows, placements);
  for (const auto& [placement, names] : pingpong) {
    EXPECT_EQ(names, (std::set<std::string>{
                         "calibration/pingpong_two_line/placement:" + placement + "/real_time/threads:2",
                         "calibration/pingpong_one_line_cas/placement:" + placement + "/real_time/threads:2"}));
  }
  EXPECT_GE(pingpong.size(), 3u);
}

TEST(Plan, ForeignRowsOnlyForStrategiesWithOwnersWithTheOwnerOnTheProbePartner) {
  const auto topo = topo::Topology::from_synthetic("pack:1 core:2 pu:1");
  std::set<std::string> foreign;
  for (const auto& pb : make_plan(find_profile("default"), topo, {})) {
    if (pb.spec.kind != BenchKind::refcount || pb.spec.workload != Workload::foreign) continue;
    foreign.insert(pb.spec.strategy);
    EXPECT_EQ(pb.spec.threads(), 1);
    EXPECT_TRUE(pb.spec.has_probe_partner);
    EXPECT_EQ(pb.spec.domain.max_threads, 2u) << "the parked owner attaches too";
    // A GIL'd plain object has no owner: the baseline is the one-thread private row.
    EXPECT_EQ(pb.baseline, "refcount/gil_cpython/private/placement:single/real_time/threads:1");
  }
  EXPECT_EQ(foreign, (std::set<std::string>{"biased"}));
}

TEST(Plan, PairsUseTheirClassAndDistinctPus) {
  const auto topo = topo::Topology::from_synthetic("pack:2 l3:2 core:2 pu:2");
  for (const auto& pb : make_plan(find_profile("quick"), topo, {})) {
    if (pb.spec.threads() != 2) continue;
    EXPECT_NE(pb.spec.pus[0], pb.spec.pus[1]);
    EXPECT_EQ(pb.spec.placement, pb.spec.placement_class) << pb.spec.run_name();
    EXPECT_EQ(std::string(topo::to_string(topo.classify(pb.spec.pus[0], pb.spec.pus[1]))),
              pb.spec.placement_class);
  }
}

TEST(Plan, SingleThreadRowsGetAProbePartnerOnAnotherPu) {
  const auto topo = topo::Topology::from_synthetic("pack:1 core:2 pu:1");
  for (const auto& pb : make_plan(find_profile("quick"), topo, {})) {
    if (pb.spec.threads() != 1) continue;
    ASSERT_TRUE(pb.spec.has_probe_partner);
    EXPECT_NE(pb.spec.probe_partner_pu, pb.spec.pus[0]);
  }
}

TEST(Plan, OnePuMachineRunsSingleThreadRowsOnly) {
  const auto topo = topo::Topology::from_synthetic("pack:1 core:1 pu:1");
  const auto plan = make_plan(find_profile("default"), topo, {});
  ASSERT_FALSE(plan.empty());
  for (const auto& pb : plan) {
    EXPECT_EQ(pb.spec.threads(), 1);
    EXPECT_FALSE(pb.spec.has_probe_partner);
  }
}

TEST(Plan, OverridesSelectStrategiesWorkloadsAndThreads) {
  const auto topo = topo::Topology::from_synthetic("pack:1 core:4 pu:1");
  PlanOverrides o;
  o.strategies = {"atomic", "deferred_16"};
  o.workloads = {"mixed:25"};
  o.thread_counts = {4};
  const auto plan = make_plan(find_profile("default"), topo, o);
  std::set<std::string> expected = {
      "refcount/atomic/mixed/shared_pct:25/placement:compact/real_time/threads:4",
      "refcount/deferred_16/mixed/shared_pct:25/placement:compact/real_time/threads:4"};
  std::set<std::string> got;
  for (const auto& pb : plan)
    if (pb.spec.kind == BenchKind::refcount) got.insert(pb.spec.run_name());
  EXPECT_EQ(got, expected);
  for (const auto& pb : plan) {
    if (pb.spec.strategy == "deferred_16") {
      EXPECT_EQ(pb.spec.domain.flush_threshold, 16u);
    }
  }
}

TEST(Plan, BadInputIsAClearError) {
  const auto topo = topo::Topology::from_synthetic("pack:1 core:2 pu:1");
  const Profile& p = find_profile("quick");
  auto fails_with = [&](PlanOverrides o, const std::string& needle) {
    try {
      make_plan(p, topo, o);
      ADD_FAILURE() << "no error, expected one mentioning '" << needle << "'";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  fails_with({.strategies = {"atomik"}}, "unknown strategy 'atomik'");
  fails_with({.strategies = {"deferred"}}, "deferred_<N>");
  fails_with({.strategies = {"deferred_0"}}, "at least 1");
  fails_with({.workloads = {"sharde"}}, "unknown workload 'sharde'");
  fails_with({.workloads = {"mixed"}}, "mixed:<percent>");
  fails_with({.workloads = {"mixed:101"}}, "1..100");
  fails_with({.workloads = {"handoff:3"}}, "takes no parameter");
  fails_with({.thread_counts = {3}}, "only 2 PUs are allowed");
  fails_with({.thread_counts = {0}}, "at least 1");
  EXPECT_THROW(find_profile("fast"), std::invalid_argument);
}

TEST(Names, AreStableAndParseable) {
  BenchSpec s;
  s.strategy = "atomic";
  s.workload = Workload::false_sharing;
  s.param = 64;
  s.placement = "l3";
  s.pus = {0, 1};
  EXPECT_EQ(s.run_name(), "refcount/atomic/false_sharing/pad:64/placement:l3/real_time/threads:2");
  EXPECT_EQ(s.run_name_with_strategy("gil_cpython"),
            "refcount/gil_cpython/false_sharing/pad:64/placement:l3/real_time/threads:2");
  BenchSpec c;
  c.kind = BenchKind::pingpong;
  c.placement = "l3";
  c.pus = {0, 1};
  EXPECT_EQ(c.run_name(), "calibration/pingpong_two_line/placement:l3/real_time/threads:2");
  c.method = PingPongMethod::one_line_cas;
  EXPECT_EQ(c.run_name(), "calibration/pingpong_one_line_cas/placement:l3/real_time/threads:2");
  c.matrix_cell = true;
  EXPECT_EQ(c.run_name(), "calibration/pingpong_one_line_cas/pair:0-1/placement:l3/real_time/threads:2");
}

}  // namespace
}  // namespace rcbench::harness

// Memory placement (mem:local / mem:remote), on machines with several NUMA nodes.
namespace rcbench::harness {
namespace {

std::string data_file(const char* name) { return std::string(RCBENCH_TOPOLOGY_DATA_DIR) + "/" + name; }

// For each 2-thread shared placement: its rows per strategy, by memory placement.
struct SharedPair {
  std::vector<unsigned> pus;
  std::map<std::string, std::set<ObjectMemory>> memory_by_strategy;
};

std::map<std::string, SharedPair> shared_pairs(const std::vector<PlannedBenchmark>& plan) {
  std::map<std::string, SharedPair> out;
  for (const auto& pb : plan) {
    const BenchSpec& s = pb.spec;
    if (s.kind != BenchKind::refcount || s.threads() != 2 || s.workload != Workload::shared) continue;
    SharedPair& pair = out[s.placement];
    pair.pus = s.pus;
    EXPECT_TRUE(pair.memory_by_strategy[s.strategy].insert(s.memory).second) << "twice: " << s.run_name();
  }
  return out;
}

class PlanMemoryOn : public ::testing::TestWithParam<const char*> {};

TEST_P(PlanMemoryOn, CrossNodePairsGetLocalAndRemoteSharedRowsSameNodePairsNone) {
  const auto topo = topo::Topology::from_xml(data_file(GetParam()));
  const Profile& profile = find_profile("default");
  const auto plan = make_plan(profile, topo, {});
  const auto pairs = shared_pairs(plan);
  ASSERT_FALSE(pairs.empty());
  std::size_t cross = 0, same = 0;
  for (const auto& [placement, pair] : pairs) {
    SCOPED_TRACE(placement);
    // Expected from the topology directly, not from the planner's helper.
    const auto a = topo.numa_node_of_pu(pair.pus[0]), b = topo.numa_node_of_pu(pair.pus[1]);
    const bool crosses = a && b && *a != *b;
    (crosses ? cross : same) += 1;
    const std::set<ObjectMemory> want = crosses ? std::set{ObjectMemory::local, ObjectMemory::remote}
                                                : std::set{ObjectMemory::unplaced};
    EXPECT_EQ(pair.memory_by_strategy.size(), profile.strategies.size()) << "every strategy has the rows";
    for (const auto& [strategy, memory] : pair.memory_by_strategy) EXPECT_EQ(memory, want) << strategy;
  }
  EXPECT_GT(cross, 0u) << "the machine has pairs on two nodes";
  EXPECT_GT(same, 0u) << "and pairs on one";
}

INSTANTIATE_TEST_SUITE_P(SeveralNodes, PlanMemoryOn,
                         ::testing::Values("AMD-19h-Zen4-2xEpyc-9654.xml", "qemu-2s-4die-smt-4n.xml",
                                           "64amd64-4p2n4ca2co.xml"),
                         [](const ::testing::TestParamInfo<const char*>& machine) {
                           std::string name = machine.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(PlanMemory, LocalIsThread0sNodeRemoteThread1sAndOnlySharedPairsHaveThem) {
  // 2 sockets x 4 dies x 2 cores x 2 threads, a node per 2 dies: package and machine
  // pairs cross nodes, numa, l3 and smt pairs do not.
  const auto topo = topo::Topology::from_xml(data_file("qemu-2s-4die-smt-4n.xml"));
  const auto plan = make_plan(find_profile("default"), topo, {});
  const auto all = names(plan);
  std::set<std::string> placements_with_memory;
  for (const auto& pb : plan) {
    const BenchSpec& s = pb.spec;
    if (s.memory == ObjectMemory::unplaced) {
      EXPECT_EQ(s.run_name().find("/mem:"), std::string::npos) << s.run_name();
      continue;
    }
    SCOPED_TRACE(s.run_name());
    EXPECT_EQ(s.kind, BenchKind::refcount);
    EXPECT_EQ(s.workload, Workload::shared);
    ASSERT_EQ(s.threads(), 2);
    placements_with_memory.insert(s.placement);
    const unsigned thread = s.memory == ObjectMemory::local ? 0 : 1;
    EXPECT_EQ(s.memory_node, topo.numa_node_of_pu(s.pus[thread]).value());
    EXPECT_NE(topo.numa_node_of_pu(s.pus[0]), topo.numa_node_of_pu(s.pus[1]));
    const std::string segment = s.memory == ObjectMemory::local ? "/mem:local/" : "/mem:remote/";
    EXPECT_NE(s.run_name().find("/placement:" + s.placement + segment), std::string::npos);
    // Its baselines are measured with the object in the same place.
    if (!pb.baseline.empty()) {
      EXPECT_NE(pb.baseline.find(segment), std::string::npos) << pb.baseline;
      EXPECT_TRUE(all.count(pb.baseline)) << pb.baseline;
    }
    if (!pb.baseline_real.empty()) {
      EXPECT_TRUE(all.count(pb.baseline_real)) << pb.baseline_real;
    }
  }
  EXPECT_EQ(placements_with_memory, (std::set<std::string>{"package", "machine"}));
}

TEST(PlanMemory, AOneNodeMachineKeepsTodaysNames) {
  const auto topo = topo::Topology::from_xml(data_file("qemu-1s-2die.xml"));
  for (const auto& pb : make_plan(find_profile("default"), topo, {})) {
    EXPECT_EQ(pb.spec.memory, ObjectMemory::unplaced) << pb.spec.run_name();
    EXPECT_EQ(pb.spec.run_name().find("mem:"), std::string::npos) << pb.spec.run_name();
  }
}

TEST(PlanMemory, NamesPutTheMemorySegmentAfterThePlacement) {
  BenchSpec s;
  s.strategy = "atomic";
  s.workload = Workload::shared;
  s.placement = "machine";
  s.pus = {0, 4};
  s.memory = ObjectMemory::remote;
  s.memory_node = 1;
  EXPECT_EQ(s.run_name(), "refcount/atomic/shared/placement:machine/mem:remote/real_time/threads:2");
  EXPECT_EQ(s.run_name_with_strategy("gil_cpython"),
            "refcount/gil_cpython/shared/placement:machine/mem:remote/real_time/threads:2");
  s.memory = ObjectMemory::local;
  EXPECT_EQ(s.family_name(), "refcount/atomic/shared/placement:machine/mem:local");
}

}  // namespace
}  // namespace rcbench::harness
