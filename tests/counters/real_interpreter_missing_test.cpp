// A build without libpython (RCBENCH_WITH_CPYTHON off, or pkg-config found none):
// the facts the run records say so and why, rather than the run failing.
#include "cpython/interpreter_facts.hpp"

#include <gtest/gtest.h>

namespace rcbench::cpython::test {
namespace {

TEST(RealInterpreterMissing, FactsSayWhyAndNameNoLibrary) {
  const InterpreterFacts& f = interpreter_facts();
  EXPECT_FALSE(f.available);
  EXPECT_EQ(f.reason, "built without libpython: test reason");
  EXPECT_TRUE(f.library.empty());
  EXPECT_TRUE(f.version.empty());
}

}  // namespace
}  // namespace rcbench::cpython::test
