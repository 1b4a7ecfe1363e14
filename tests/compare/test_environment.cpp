// The environment guard on runs built in code: both spellings of the environment
// object, each limit, and a run that recorded nothing.
#include "compare/environment.hpp"

#include <gtest/gtest.h>

namespace rcbench::compare {
namespace {

using nlohmann::json;

runjson::Run run_with(json environment, int migrated = 0, int reps = 10) {
  runjson::Run r;
  r.source = "inline";
  r.rcbench = {{"machine", {{"topology", {{"pus", 2}}}}}, {"environment", std::move(environment)}};
  runjson::Benchmark b;
  b.run_name = "refcount/atomic/private/placement:single/real_time/threads:1";
  for (int i = 0; i < reps; ++i) {
    runjson::Repetition rep;
    rep.index = i;
    rep.counters["migrations"] = i < migrated ? 1 : 0;
    b.reps.push_back(rep);
  }
  r.benchmarks.push_back(b);
  return r;
}

TEST(Environment, NestedStartEndAsRcbenchRunWritesIt) {
  const EnvironmentCheck c = check_environment(
      run_with({{"start", {{"steal_ticks", 100}, {"total_ticks", 10000}, {"loadavg_1m", 0.5}}},
                {"end", {{"steal_ticks", 150}, {"total_ticks", 11000}, {"loadavg_1m", 1.0}}}}),
      EnvironmentLimits{});
  ASSERT_TRUE(c.steal_fraction.has_value());
  EXPECT_DOUBLE_EQ(*c.steal_fraction, 0.05);  // 50 of 1000 ticks: at the limit, not over
  EXPECT_DOUBLE_EQ(*c.loadavg_1m_max, 1.0);
  EXPECT_EQ(c.pus, 2);
  EXPECT_FALSE(c.disturbed);
}

TEST(Environment, FlatKeysAsTheFormatDocSketchesThem) {
  const EnvironmentCheck c = check_environment(
      run_with({{"steal_ticks_start", 0}, {"steal_ticks_end", 200}, {"total_ticks_start", 0},
                {"total_ticks_end", 1000}, {"loadavg_1m_start", 0.1}, {"loadavg_1m_end", 0.2}}),
      EnvironmentLimits{});
  EXPECT_DOUBLE_EQ(*c.steal_fraction, 0.2);
  EXPECT_TRUE(c.disturbed);
}

TEST(Environment, LoadAboveLimitPerPuDisturbs) {
  EnvironmentLimits limits;
  limits.max_loadavg_per_pu = 1.5;  // 3.0 on 2 PUs
  const auto load = [&](double l) {
    return check_environment(run_with({{"start", {{"loadavg_1m", l}}}, {"end", {{"loadavg_1m", 0.1}}}}), limits);
  };
  EXPECT_FALSE(load(2.9).disturbed);
  EXPECT_TRUE(load(3.1).disturbed);
}

TEST(Environment, MigratedRepetitionsBeyondTheShareDisturb) {
  EXPECT_EQ(check_environment(run_with(json::object(), 1, 10), EnvironmentLimits{}).migrated_reps, 1u);
  EXPECT_FALSE(check_environment(run_with(json::object(), 1, 10), EnvironmentLimits{}).disturbed);
  EXPECT_TRUE(check_environment(run_with(json::object(), 2, 10), EnvironmentLimits{}).disturbed);
}

TEST(Environment, NothingRecordedIsSaidNotGuessed) {
  const EnvironmentCheck c = check_environment(run_with(json::object()), EnvironmentLimits{});
  EXPECT_FALSE(c.steal_fraction.has_value());
  EXPECT_FALSE(c.loadavg_1m_max.has_value());
  EXPECT_FALSE(c.disturbed);
  EXPECT_EQ(c.notes.size(), 2u);
}

}  // namespace
}  // namespace rcbench::compare
