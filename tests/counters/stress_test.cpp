// Every race-free strategy under real concurrency, 2 to 8 threads: the final
// counts are exact and each object's end is reported exactly once.
#include "stress_patterns.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>

namespace rcbench::counters::test {
namespace {

constexpr std::array<std::size_t, 3> kThreadCounts = {2, 4, 8};

// Ops per thread count. A strategy that holds a lock across ops (the CPython GIL
// model) runs at plain speed, so the run must be ten times longer to span enough
// switch intervals for the GIL to change hands many times.
template <class S>
std::size_t stress_ops(std::size_t threads) {
  constexpr bool holds_across_ops = requires(typename S::Domain& d, typename S::Thread& t) {
    d.before_blocking(t);
  };
  return scaled(holds_across_ops ? 60'000'000 : 6'000'000) / threads;
}

template <class S>
class StressTest : public ::testing::Test {};
using RaceFreeStrategyTypes = GtestTypes<RaceFreeOf<AllStrategies>::type>::type;
TYPED_TEST_SUITE(StressTest, RaceFreeStrategyTypes, StrategyName);

TYPED_TEST(StressTest, PrivateObjectsStayExact) {
  for (const std::size_t threads : kThreadCounts) {
    SCOPED_TRACE(testing::Message() << threads << " threads");
    EXPECT_TRUE(run_private_pattern<TypeParam>(threads, stress_ops<TypeParam>(threads)));
  }
}

TYPED_TEST(StressTest, OneSharedObjectStaysExact) {
  for (const std::size_t threads : kThreadCounts) {
    SCOPED_TRACE(testing::Message() << threads << " threads");
    EXPECT_TRUE(run_shared_pattern<TypeParam>(threads, stress_ops<TypeParam>(threads)));
  }
}

TYPED_TEST(StressTest, HandedOffObjectsAreReleasedExactlyOnce) {
  for (const std::size_t threads : kThreadCounts) {
    SCOPED_TRACE(testing::Message() << threads << " threads");
    EXPECT_TRUE(run_handoff_pattern<TypeParam>(threads, scaled(40'000) / (threads / 2)));
  }
}

}  // namespace
}  // namespace rcbench::counters::test
