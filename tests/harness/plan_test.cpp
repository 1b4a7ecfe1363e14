// The plan: every strategy x workload x placement x thread count, each with its
// GIL baselines, on machine shapes this VM cannot show.
#include "plan.hpp"

#include "workloads/workload.hpp"

#include "rcbench/topology/topology.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

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
