// Subsets keep what reading them needs: GIL baselines, the plain reference, and
// nothing the user did not ask for otherwise.
#include "selection.hpp"

#include "rcbench/topology/topology.hpp"
#include "counters/strategies.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace rcbench::harness {
namespace {

std::map<std::string, Role> roles(const SelectedPlan& p) {
  std::map<std::string, Role> out;
  for (const auto& pb : p.rows) out.emplace(pb.spec.run_name(), pb.role);
  return out;
}

const std::string kSuffix1 = "/real_time/threads:1";

TEST(Selection, StrategiesAndSharedKeepBaselinesAndTheReference) {
  const auto topo = topo::Topology::from_synthetic("pack:1 l3:1 core:2 pu:1");
  Selection sel;
  sel.overrides.strategies = {"atomic", "biased"};
  sel.overrides.workloads = {"shared"};
  const auto plan = select_plan(find_profile("quick"), topo, sel);
  const auto r = roles(plan);
  const std::string pair = "/shared/placement:l3/real_time/threads:2";
  EXPECT_EQ(r.at("refcount/atomic" + pair), Role::selected);
  EXPECT_EQ(r.at("refcount/biased" + pair), Role::selected);
  EXPECT_EQ(r.at("refcount/gil_cpython" + pair), Role::baseline);
  EXPECT_EQ(r.at("refcount/gil_lock" + pair), Role::baseline);
  EXPECT_EQ(r.at("refcount/plain/private/placement:single" + kSuffix1), Role::reference);
  EXPECT_EQ(r.at("refcount/gil_cpython/private/placement:single" + kSuffix1), Role::baseline);
  // `shared` means shared: no private single-thread rows of the selected strategies.
  EXPECT_EQ(r.count("refcount/atomic/private/placement:single" + kSuffix1), 0u);
  EXPECT_EQ(r.count("refcount/plain/shared/placement:l3/real_time/threads:2"), 0u);
  for (const auto& pb : plan.rows) {
    if (!pb.baseline.empty()) {
      EXPECT_TRUE(r.count(pb.baseline)) << pb.baseline;
    }
    if (!pb.baseline_lock.empty()) {
      EXPECT_TRUE(r.count(pb.baseline_lock)) << pb.baseline_lock;
    }
    if (!pb.baseline_real.empty()) {
      EXPECT_TRUE(r.count(pb.baseline_real)) << pb.baseline_real;
    }
  }
  std::size_t real_rows = 0;
  if constexpr (counters::kRealInterpreterRows) {
    // The real interpreter beside the GIL models: at the pair and beside the reference.
    const std::string eval(counters::kRealEvalName);
    EXPECT_EQ(r.at("refcount/" + eval + pair), Role::baseline);
    EXPECT_EQ(r.at("refcount/" + eval + "/private/placement:single" + kSuffix1), Role::baseline);
    for (const auto& pb : plan.rows)
      if (pb.spec.kind == BenchKind::refcount && pb.spec.strategy != eval) {
        EXPECT_FALSE(pb.baseline_real.empty()) << pb.spec.run_name();
      }
    real_rows = 2;
  }
  EXPECT_EQ(plan.count(Role::baseline), 4u + real_rows);
  EXPECT_EQ(plan.count(Role::reference), 1u);
  EXPECT_TRUE(plan.warnings.empty());
}

TEST(Selection, FilterAddsBaselinesUnlessOptedOut) {
  const auto topo = topo::Topology::from_synthetic("pack:1 l3:1 core:2 pu:1");
  Selection sel;
  sel.filter = "^refcount/atomic/handoff";
  const auto with = roles(select_plan(find_profile("quick"), topo, sel));
  EXPECT_EQ(with.at("refcount/gil_cpython/handoff/placement:l3/real_time/threads:2"), Role::baseline);
  EXPECT_EQ(with.at("refcount/plain/private/placement:single" + kSuffix1), Role::reference);
  // The null rows that correct the selected row and the reference row come along.
  EXPECT_EQ(with.at("calibration/overhead/placement:l3/real_time/threads:2"), Role::baseline);
  EXPECT_EQ(with.at("calibration/overhead/placement:single" + kSuffix1), Role::baseline);
  EXPECT_EQ(with.count("calibration/pingpong_two_line/placement:l3/real_time/threads:2"), 0u);  // filtered out

  sel.add_baselines = false;
  const auto plan = select_plan(find_profile("quick"), topo, sel);
  ASSERT_EQ(plan.rows.size(), 1u);
  EXPECT_TRUE(plan.rows[0].baseline.empty()) << "a baseline that does not run is not named";
  EXPECT_TRUE(plan.rows[0].baseline_lock.empty());
}

TEST(Selection, ExplicitThreadCountsStillGetTheSingleThreadReference) {
  const auto topo = topo::Topology::from_synthetic("pack:1 core:4 pu:1");
  Selection sel;
  sel.overrides.strategies = {"deferred_16"};
  sel.overrides.workloads = {"mixed:25"};
  sel.overrides.thread_counts = {4};
  const auto plan = select_plan(find_profile("default"), topo, sel);
  const auto r = roles(plan);
  EXPECT_EQ(r.at("refcount/deferred_16/mixed/shared_pct:25/placement:compact/real_time/threads:4"), Role::selected);
  EXPECT_EQ(r.at("refcount/plain/private/placement:single" + kSuffix1), Role::reference);
  for (const auto& [name, role] : r)
    if (name.ends_with("threads:1")) {
      EXPECT_NE(role, Role::selected) << name;
    }
}

TEST(Selection, WorkloadsThePusCannotHostAreNamed) {
  const auto topo = topo::Topology::from_synthetic("pack:1 l3:1 core:2 pu:1").restrict_to(topo::CpuList({1}));
  Selection sel;
  sel.overrides.workloads = {"shared"};
  const auto plan = select_plan(find_profile("quick"), topo, sel);
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("shared"), std::string::npos) << plan.warnings[0];
  EXPECT_NE(plan.warnings[0].find("only 1 PU"), std::string::npos) << plan.warnings[0];
}

TEST(NameFilterTest, FollowsGoogleBenchmarkSyntax) {
  EXPECT_TRUE(NameFilter("").matches("anything"));
  EXPECT_TRUE(NameFilter("all").matches("anything"));
  EXPECT_TRUE(NameFilter("atomic|biased").matches("refcount/biased/x"));
  EXPECT_FALSE(NameFilter("-^calibration/").matches("calibration/overhead"));
  EXPECT_TRUE(NameFilter("-^calibration/").matches("refcount/plain"));
  EXPECT_THROW(NameFilter("("), std::invalid_argument);
}

}  // namespace
}  // namespace rcbench::harness
