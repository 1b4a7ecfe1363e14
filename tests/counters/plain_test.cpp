// plain is not race-free, but it is exact when each object stays on one thread:
// the lost updates the benchmark counts come from sharing, not from the code.
// (Whether two threads sharing one object lose updates depends on timing, so no
// test asserts it; the benchmark counts it as lost_updates_per_increment.)
#include "stress_patterns.hpp"
#include "test_support.hpp"

#include "counters/plain.hpp"

#include <gtest/gtest.h>

namespace rcbench::counters::test {
namespace {

TEST(PlainTest, PrivateObjectsOnSeveralThreadsStayExact) {
  for (const std::size_t threads : {2U, 4U, 8U}) {
    SCOPED_TRACE(testing::Message() << threads << " threads");
    EXPECT_TRUE(run_private_pattern<Plain>(threads, scaled(2'000'000) / threads));
  }
}

}  // namespace
}  // namespace rcbench::counters::test
