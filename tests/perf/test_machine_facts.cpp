// The facts that choose the default events, and the OS counters' parsing.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

#include "perf/default_events.hpp"
#include "perf/machine_facts.hpp"
#include "perf/os_thread_counters.hpp"

namespace rcbench::perf {
namespace {

CpuIdentity cpu_from(const std::string& vendor, unsigned family, unsigned model,
                     const std::string& flags = "fpu sse2") {
  std::istringstream in(
      "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: " + std::to_string(family) +
      "\nmodel\t\t: " + std::to_string(model) + "\nmodel name\t: Some CPU\nflags\t\t: " + flags +
      "\n\nprocessor\t: 1\nvendor_id\t: Other\n");
  return parse_cpuinfo(in);
}

TEST(MachineFacts, ParsesTheFirstProcessorOfCpuinfo) {
  const CpuIdentity cpu = cpu_from("AuthenticAMD", 25, 17, "fpu sse2 hypervisor lahf_lm");
  EXPECT_EQ(cpu.vendor_id, "AuthenticAMD");
  EXPECT_EQ(cpu.family, 25u);
  EXPECT_EQ(cpu.model, 17u);
  EXPECT_EQ(cpu.model_name, "Some CPU");
  EXPECT_TRUE(cpu.hypervisor);
  EXPECT_FALSE(cpu_from("AuthenticAMD", 25, 17, "fpu hypervisorx").hypervisor);
}

TEST(MachineFacts, TellsTheMicroarchitectures) {
  EXPECT_EQ(microarchitecture_of(cpu_from("AuthenticAMD", 0x19, 0x11)), "amd-zen4");  // Genoa
  EXPECT_EQ(microarchitecture_of(cpu_from("AuthenticAMD", 0x19, 0x61)), "amd-zen4");  // Raphael
  EXPECT_EQ(microarchitecture_of(cpu_from("AuthenticAMD", 0x19, 0x01)), "amd-zen3");  // Milan
  EXPECT_EQ(microarchitecture_of(cpu_from("AuthenticAMD", 0x19, 0x21)), "amd-zen3");  // Vermeer
  EXPECT_EQ(microarchitecture_of(cpu_from("AuthenticAMD", 0x1a, 0x02)), "amd-zen5");
  EXPECT_EQ(microarchitecture_of(cpu_from("AuthenticAMD", 0x17, 0x31)), "amd-zen1-2");
  EXPECT_EQ(microarchitecture_of(cpu_from("GenuineIntel", 6, 143)), "intel");
  EXPECT_EQ(microarchitecture_of(cpu_from("CentaurHauls", 6, 15)), "unknown");
}

bool has(const std::vector<EventDescription>& events, const std::string& name) {
  return std::any_of(events.begin(), events.end(),
                     [&](const EventDescription& e) { return e.name == name; });
}

TEST(DefaultEvents, EachMicroarchitectureHasItsCoherenceEventsPresetsAndSoftware) {
  const auto zen4 = default_events("amd-zen4");
  EXPECT_TRUE(has(zen4, "ANY_DATA_CACHE_FILLS_FROM_SYSTEM:LOCAL_CCX"));
  EXPECT_TRUE(has(zen4, "REQUESTS_TO_L2_GROUP1:CHANGE_TO_X"));
  EXPECT_TRUE(has(zen4, "RETIRED_LOCK_INSTRUCTIONS"));
  EXPECT_TRUE(has(default_events("amd-zen3"), "ANY_DATA_CACHE_FILLS_FROM_SYSTEM:EXT_CACHE_LCL"));
  EXPECT_TRUE(has(default_events("intel"), "MEM_LOAD_L3_HIT_RETIRED:XSNP_HITM"));
  EXPECT_TRUE(has(default_events("intel"), "MACHINE_CLEARS:MEMORY_ORDERING"));
  for (const char* uarch : {"amd-zen3", "amd-zen4", "amd-zen5", "intel", "unknown"}) {
    const auto events = default_events(uarch);
    EXPECT_TRUE(has(events, "PAPI_L1_DCM")) << uarch;
    EXPECT_TRUE(has(events, "PAPI_CA_ITV")) << uarch;
    EXPECT_TRUE(has(events, "ctx_switches")) << uarch;
    EXPECT_TRUE(has(events, "migrations")) << uarch;
    for (const auto& e : events) EXPECT_FALSE(e.meaning.empty()) << uarch << " " << e.name;
  }
  EXPECT_FALSE(has(default_events("intel"), "RETIRED_LOCK_INSTRUCTIONS"));
}

TEST(DefaultEvents, PerfSpellingsOfTheSoftwareEventsAreAliases) {
  EXPECT_EQ(software_event_alias("perf::CONTEXT-SWITCHES"), "ctx_switches");
  EXPECT_EQ(software_event_alias("perf::cs"), "ctx_switches");
  EXPECT_EQ(software_event_alias("perf::CPU-MIGRATIONS"), "migrations");
  EXPECT_EQ(software_event_alias("migrations"), "migrations");
  EXPECT_EQ(software_event_alias("perf::PAGE-FAULTS"), "");
  EXPECT_FALSE(meaning_of("perf::CS").empty());
}

TEST(OsCounters, ParsesMigrationsFromASchedFile) {
  const std::string text =
      "bench (4242, #threads: 3)\n"
      "-------------------------------------------------------------------\n"
      "se.exec_start                                :        374849.551048\n"
      "se.nr_migrations                             :                   17\n"
      "nr_switches                                  :                   40\n";
  EXPECT_EQ(parse_sched_migrations(text), 17);
  EXPECT_EQ(parse_sched_migrations("se.nr_migrations_other : 3\n"), std::nullopt);
  EXPECT_EQ(parse_sched_migrations("nr_switches : 40\n"), std::nullopt);
  EXPECT_EQ(parse_sched_migrations("se.nr_migrations : x\n"), std::nullopt);
}

TEST(OsCounters, GetrusageCountsASleep) {
  const long long before = thread_ctx_switches_from_getrusage();
  std::this_thread::sleep_for(std::chrono::milliseconds(1));  // blocks: a voluntary switch
  EXPECT_GT(thread_ctx_switches_from_getrusage(), before);
}

}  // namespace
}  // namespace rcbench::perf
