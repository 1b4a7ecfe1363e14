// The report tests read fixture runs written before runs carried a catalog, as the CLI
// does: with a build catalog (runjson::set_build_catalog), here the tests' own.
#include "run/catalog.hpp"
#include "test_catalog.hpp"

#include <gtest/gtest.h>

namespace {

class BuildCatalog : public ::testing::Environment {
 public:
  void SetUp() override { rcbench::runjson::set_build_catalog(rcbench::testing::test_catalog()); }
};

// Registered before main (gtest_main) runs the tests: gtest's documented way without a main of our own.
[[maybe_unused]] ::testing::Environment* const kBuildCatalog = ::testing::AddGlobalTestEnvironment(new BuildCatalog);

}  // namespace
