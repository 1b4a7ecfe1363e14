// Mann-Whitney U against scipy.stats.mannwhitneyu 1.10 (fixture generated once by
// tests/data/compare/make_mann_whitney_fixture.py).
#include "fixtures.hpp"
#include "stats/mann_whitney.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace rcbench::stats {
namespace {

UMethod method_of(const std::string& m) {
  if (m == "exact") return UMethod::exact;
  if (m == "asymptotic") return UMethod::asymptotic;
  return UMethod::automatic;
}

TEST(MannWhitney, MatchesScipyOnEveryFixtureCase) {
  const auto doc = testing::read_json(testing::compare_data("mann_whitney_scipy.json"));
  ASSERT_GE(doc["cases"].size(), 30u);
  for (const auto& c : doc["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const auto x = c["x"].get<std::vector<double>>();
    const auto y = c["y"].get<std::vector<double>>();
    const UTestResult r = mann_whitney_u(x, y, method_of(c["method"].get<std::string>()));
    EXPECT_EQ(r.u1, c["u1"].get<double>());
    EXPECT_EQ(r.exact, c["used"] == "exact");
    const double expected = c["p_value"].get<double>();
    EXPECT_NEAR(r.p_value, expected, 1e-9 * std::max(expected, 1e-300) + 1e-15);
  }
}

TEST(MannWhitney, ThreeVersusThreeCannotReachFivePercent) {
  const std::vector<double> a{1, 2, 3}, b{4, 5, 6};
  EXPECT_DOUBLE_EQ(mann_whitney_u(a, b).p_value, 0.1);
}

TEST(MannWhitney, SymmetricInItsSamples) {
  const std::vector<double> a{1.1, 2.3, 0.7, 5.0, 3.3, 2.2}, b{4.1, 6.0, 3.9, 7.2};
  const UTestResult ab = mann_whitney_u(a, b), ba = mann_whitney_u(b, a);
  EXPECT_DOUBLE_EQ(ab.p_value, ba.p_value);
  EXPECT_DOUBLE_EQ(ab.u1 + ba.u1, static_cast<double>(a.size() * b.size()));
}

TEST(MannWhitney, RejectsEmptyAndNaN) {
  const std::vector<double> a{1, 2, 3}, empty;
  const std::vector<double> with_nan{1, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_THROW(mann_whitney_u(a, empty), std::invalid_argument);
  EXPECT_THROW(mann_whitney_u(empty, a), std::invalid_argument);
  EXPECT_THROW(mann_whitney_u(a, with_nan), std::invalid_argument);
}

}  // namespace
}  // namespace rcbench::stats
