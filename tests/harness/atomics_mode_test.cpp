// When rcbench refuses to start because of its atomics mode: only an LSE build, and
// only on a CPU known to lack LSE (the whole binary's behaviour on an ARMv8.0 CPU is
// checked under qemu-user in the aarch64 builds: tests/cli, cli.atomics_mode.*).
#include "atomics_mode.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rcbench::harness {
namespace {

TEST(AtomicsMode, AnLseBuildIsRefusedOnACpuWithoutLse) {
  const auto why = atomics_mode_refusal("lse", false);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("built with LSE atomics"), std::string::npos) << *why;
  EXPECT_NE(why->find("-DRCBENCH_ATOMICS=outline"), std::string::npos) << "it must say what to build instead";
}

TEST(AtomicsMode, EveryOtherCaseRuns) {
  EXPECT_FALSE(atomics_mode_refusal("lse", true));
  EXPECT_FALSE(atomics_mode_refusal("lse", std::nullopt));  // not aarch64: the question does not arise
  for (const char* mode : {"outline", "llsc", "lock"}) {
    EXPECT_FALSE(atomics_mode_refusal(mode, false)) << mode;
    EXPECT_FALSE(atomics_mode_refusal(mode, true)) << mode;
  }
}

TEST(AtomicsMode, TheBuildNamesItsIsaAndMode) {
  const std::string isa = build_isa(), mode = build_atomics_mode();
#if defined(__aarch64__)
  EXPECT_EQ(isa, "aarch64");
  EXPECT_TRUE(mode == "outline" || mode == "llsc" || mode == "lse") << mode;
  EXPECT_TRUE(cpu_has_lse().has_value());
#elif defined(__x86_64__)
  EXPECT_EQ(isa, "x86_64");
  EXPECT_EQ(mode, "lock");
  EXPECT_FALSE(cpu_has_lse().has_value());
#endif
}

}  // namespace
}  // namespace rcbench::harness
