// The machine facts a run records (rcbench.machine): the ISA the running machine reports,
// whether its CPU has LSE, and on Arm the MIDR naming the CPU; x86-only fields stay x86's.
#include <gtest/gtest.h>

#include <sys/utsname.h>

#include <string>

#include "harness/atomics_mode.hpp"
#include "harness/machine_info.hpp"
#include "perf/arm_cpu_ids.hpp"
#include "perf/machine_facts.hpp"

namespace rcbench::harness {
namespace {

TEST(MachineInfo, RecordsTheRunningIsaAndLse) {
  const nlohmann::json m = machine_facts();
  utsname u{};
  ASSERT_EQ(uname(&u), 0);
  EXPECT_EQ(m.at("isa"), std::string(u.machine));
  const std::optional<bool> lse = cpu_has_lse();
  if (lse) EXPECT_EQ(m.at("lse"), *lse);
  else EXPECT_TRUE(m.at("lse").is_null());
#if defined(__aarch64__)
  EXPECT_TRUE(m.at("lse").is_boolean()) << "an aarch64 binary always knows HWCAP_ATOMICS";
#else
  EXPECT_TRUE(m.at("lse").is_null()) << "LSE is not a question off aarch64";
#endif
}

TEST(MachineInfo, RecordsTheMidrWhereThereIsOneAndNullElsewhere) {
  const nlohmann::json m = machine_facts();
  const perf::MidrFact& fact = perf::this_midr();
  if (!fact.midr) {
    EXPECT_TRUE(m.at("midr").is_null());
    EXPECT_TRUE(m.at("midr_source").is_null());
  } else {
    const nlohmann::json& midr = m.at("midr");
    EXPECT_EQ(midr.at("value"), perf::midr_hex(fact.midr->value));
    EXPECT_EQ(midr.at("implementer"), fact.midr->implementer);
    EXPECT_EQ(midr.at("part"), fact.midr->part);
    EXPECT_EQ(midr.at("variant"), fact.midr->variant);
    EXPECT_EQ(midr.at("revision"), fact.midr->revision);
    EXPECT_EQ(midr.at("part_name"), perf::arm_part_name(fact.midr->implementer, fact.midr->part));
    EXPECT_EQ(m.at("midr_source"), fact.source);
  }
#if defined(__x86_64__)
  EXPECT_FALSE(fact.midr.has_value());
  // The x86 fields keep their cpuinfo text.
  EXPECT_TRUE(m.at("cpu_family").is_string());
  EXPECT_TRUE(m.at("cpu_model_number").is_string());
#elif defined(__aarch64__)
  ASSERT_TRUE(fact.midr.has_value()) << "sysfs, cpuinfo or the emulated mrs has it";
  EXPECT_EQ(m.at("cpu_model"), perf::arm_cpu_name(*fact.midr));
  EXPECT_EQ(m.at("vendor"), perf::arm_implementer_name(fact.midr->implementer));
  EXPECT_TRUE(m.at("cpu_family").is_null());
  EXPECT_TRUE(m.at("cpu_model_number").is_null());
#endif
}

TEST(MachineInfo, TheBuildRecordsItsIsaAndAtomicsMode) {
  const nlohmann::json b = build_facts();
  EXPECT_EQ(b.at("isa"), std::string(build_isa()));
  EXPECT_EQ(b.at("atomics_mode"), std::string(build_atomics_mode()));
}

}  // namespace
}  // namespace rcbench::harness
