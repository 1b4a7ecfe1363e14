// Mode clustering on probe series whose modes are known by construction
// (tests/data/compare/make_mode_fixtures.py): the expected tags are not the code's.
#include "fixtures.hpp"
#include "stats/modes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace rcbench::stats {
namespace {

std::vector<double> probes(const nlohmann::json& a) {
  std::vector<double> v;
  for (const auto& x : a) v.push_back(x.is_null() ? std::numeric_limits<double>::quiet_NaN() : x.get<double>());
  return v;
}

class ModeFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ModeFixture, TagsMatchTheConstruction) {
  const auto doc = testing::read_json(testing::compare_data("modes_probes.json"));
  const nlohmann::json* c = nullptr;
  for (const auto& x : doc["cases"])
    if (x["name"] == GetParam()) c = &x;
  ASSERT_NE(c, nullptr) << "fixture case missing";
  SCOPED_TRACE((*c)["note"].get<std::string>());
  const auto before = probes((*c)["before_ns"]), after = probes((*c)["after_ns"]);
  const ModeTags t = tag_modes(before, after);

  EXPECT_EQ(t.mode_of_rep, (*c)["expected_mode_of_rep"].get<std::vector<int>>());
  EXPECT_EQ(t.dominant, (*c)["expected_dominant"].get<int>());
  const auto& expected = (*c)["expected_modes"];
  ASSERT_EQ(t.modes.size(), expected.size());
  for (std::size_t i = 0; i < t.modes.size(); ++i) {
    const Mode& m = t.modes[i];
    EXPECT_EQ(m.id, static_cast<int>(i));
    EXPECT_GE(m.lo_ns, expected[i]["lo_ns"].get<double>());
    EXPECT_LE(m.hi_ns, expected[i]["hi_ns"].get<double>());
    EXPECT_LE(m.lo_ns, m.center_ns);
    EXPECT_LE(m.center_ns, m.hi_ns);
    EXPECT_EQ(m.reps, expected[i]["reps"].get<std::size_t>());
    if (i > 0) {
      EXPECT_GE(m.center_ns, t.modes[i - 1].center_ns * ModeOptions{}.min_gap_ratio);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Probes, ModeFixture,
                         ::testing::Values("one_mode_l3", "three_modes_23_58_245", "drifting_within_l3",
                                           "drift_then_jump", "missing_probes"));

TEST(Modes, PooledSeriesShareModeIds) {
  // One benchmark ran in the same-L3 mode, another across CCDs: pooled, the ids agree
  // with the latency, and each series' dominant mode is its own.
  const std::vector<double> l3_b{55, 58, 61, 57}, l3_a{56, 60, 59, 62};
  const std::vector<double> ccd_b{240, 250, 236}, ccd_a{245, 238, 255};
  const std::vector<ProbeSeries> series{{l3_b, l3_a}, {ccd_b, ccd_a}};
  const PooledModeTags p = tag_modes_pooled(series);
  ASSERT_EQ(p.modes.size(), 2u);
  EXPECT_EQ(p.modes[0].reps, 4u);
  EXPECT_EQ(p.modes[1].reps, 3u);
  EXPECT_EQ(p.series[0].mode_of_rep, (std::vector<int>{0, 0, 0, 0}));
  EXPECT_EQ(p.series[1].mode_of_rep, (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(p.series[0].dominant, 0);
  EXPECT_EQ(p.series[1].dominant, 1);
  EXPECT_EQ(p.series[1].modes[0].reps, 0u);  // per-series counts, shared ids
  // Alone, the second series has one mode, id 0: ids are only comparable when pooled.
  EXPECT_EQ(tag_modes(ccd_b, ccd_a).mode_of_rep, (std::vector<int>{0, 0, 0}));
}

TEST(Modes, GapRatioDecidesWhereModesSplit) {
  const std::vector<double> v{100, 140};  // 1.4 apart
  EXPECT_EQ(tag_modes(v, v).modes.size(), 1u);
  EXPECT_EQ(tag_modes(v, v, ModeOptions{1.3}).modes.size(), 2u);
}

TEST(Modes, NoProbesNoModes) {
  const std::vector<double> none;
  const ModeTags t = tag_modes(none, none);
  EXPECT_TRUE(t.modes.empty());
  EXPECT_EQ(t.dominant, -1);
}

TEST(Modes, RejectsBadInput) {
  const std::vector<double> two{50, 51}, one{50};
  EXPECT_THROW(tag_modes(two, one), std::invalid_argument);
  EXPECT_THROW(tag_modes(two, two, ModeOptions{1.0}), std::invalid_argument);
}

TEST(Modes, DescribeSaysCenterAndRange) { EXPECT_EQ(describe_mode(Mode{0, 58.4, 52.1, 64.9, 3, 6}), "58 ns [52-65]"); }

}  // namespace
}  // namespace rcbench::stats
