// The core-to-core matrix the run JSON carries: the minimum over a pair's repetitions,
// the same figure both ways, null where a pair was not sampled, nothing from rows that
// are not matrix cells or not iterations.
#include "pingpong_matrix.hpp"

#include <gtest/gtest.h>

namespace rcbench::harness {
namespace {

nlohmann::json cell(const std::string& pair, double ns, const char* run_type = "iteration") {
  return {{"run_name", "calibration/pingpong_two_line/pair:" + pair + "/placement:l3/real_time/threads:2"},
          {"run_type", run_type},
          {"pingpong_ns", ns}};
}

TEST(PingPongMatrix, MinimumPerPairBothWaysNullWhereNotSampled) {
  const nlohmann::json benchmarks = nlohmann::json::array(
      {cell("0-1", 60.0), cell("0-1", 55.0), cell("0-1", 10.0, "aggregate"), cell("1-2", 80.0),
       {{"run_name", "calibration/pingpong_two_line/placement:l3/real_time/threads:2"},
        {"run_type", "iteration"},
        {"pingpong_ns", 1.0}}});
  const nlohmann::json m = pingpong_matrix(benchmarks);
  ASSERT_FALSE(m.is_null());
  EXPECT_EQ(m["pus"], nlohmann::json::array({0, 1, 2}));
  const auto& ns = m["one_way_ns"];
  EXPECT_EQ(ns[0][1], 55.0) << "the minimum over repetitions; aggregates are not repetitions";
  EXPECT_EQ(ns[1][0], 55.0);
  EXPECT_EQ(ns[1][2], 80.0);
  EXPECT_EQ(ns[2][1], 80.0);
  EXPECT_TRUE(ns[0][2].is_null()) << "0-2 was not sampled";
  EXPECT_TRUE(ns[0][0].is_null());
}

TEST(PingPongMatrix, ARunWithoutMatrixCellsHasNone) {
  EXPECT_TRUE(pingpong_matrix(nlohmann::json::array()).is_null());
  EXPECT_TRUE(pingpong_matrix(nlohmann::json::array({cell("0-1", 5.0, "aggregate")})).is_null());
}

}  // namespace
}  // namespace rcbench::harness
