// Arm machine facts: arm64 /proc/cpuinfo as real machines print it, the MIDR's fields and
// names, where the MIDR is read from, and the Neoverse default events they select.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "perf/arm_cpu_ids.hpp"
#include "perf/default_events.hpp"
#include "perf/machine_facts.hpp"

namespace rcbench::perf {
namespace {

// arm64's /proc/cpuinfo: no vendor_id, family, model or "model name"; the MIDR's fields
// instead. The layout (tabs, "CPU architecture: 8" without one) is the kernel's
// (arch/arm64/kernel/cpuinfo.c); the values are those of the named machines.
std::string arm_cpuinfo(const char* implementer, const char* variant, const char* part, const char* revision) {
  return std::string("processor\t: 0\nBogoMIPS\t: 243.75\n"
                     "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid "
                     "asimdrdm lrcpc dcpop asimddp ssbs\n"
                     "CPU implementer\t: ") +
         implementer + "\nCPU architecture: 8\nCPU variant\t: " + variant + "\nCPU part\t: " + part +
         "\nCPU revision\t: " + revision +
         "\n\nprocessor\t: 1\nBogoMIPS\t: 243.75\nCPU implementer\t: 0x51\nCPU part\t: 0x001\n";
}

CpuIdentity parse(const std::string& text) {
  std::istringstream in(text);
  return parse_cpuinfo(in);
}

const std::string kGraviton2 = arm_cpuinfo("0x41", "0x3", "0xd0c", "1");  // Neoverse N1 r3p1
const std::string kGraviton3 = arm_cpuinfo("0x41", "0x1", "0xd40", "1");  // Neoverse V1 r1p1
const std::string kGrace = arm_cpuinfo("0x41", "0x0", "0xd4f", "0");      // Neoverse V2 r0p0
const std::string kOryon = arm_cpuinfo("0x51", "0x0", "0x001", "2");      // a part rcbench does not know

TEST(ArmCpuinfo, ParsesTheMidrFieldsOfTheFirstProcessor) {
  const CpuIdentity n1 = parse(kGraviton2);
  ASSERT_TRUE(n1.arm_implementer && n1.arm_variant && n1.arm_architecture && n1.arm_part && n1.arm_revision);
  EXPECT_EQ(*n1.arm_implementer, 0x41u);
  EXPECT_EQ(*n1.arm_variant, 0x3u);
  EXPECT_EQ(*n1.arm_architecture, 8u);  // the kernel's ARM version, decimal
  EXPECT_EQ(*n1.arm_part, 0xd0cu);      // not processor 1's 0x001
  EXPECT_EQ(*n1.arm_revision, 1u);
  EXPECT_TRUE(n1.vendor_id.empty());
  EXPECT_TRUE(n1.model_name.empty());
  EXPECT_FALSE(n1.hypervisor);  // "Features" is not x86's "flags"

  // An x86 text has none of them; a malformed value is left empty, not read as 0.
  const CpuIdentity x86 = parse("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\n");
  EXPECT_FALSE(x86.arm_implementer || x86.arm_part || x86.arm_variant || x86.arm_revision);
  EXPECT_FALSE(parse("CPU implementer\t: 0xzz\nCPU part\t: \n").arm_implementer.has_value());
  EXPECT_FALSE(parse("CPU part\t: \n").arm_part.has_value());
}

TEST(ArmCpuinfo, TellsTheNeoverseMicroarchitectures) {
  EXPECT_EQ(microarchitecture_of(parse(kGraviton2)), "arm-neoverse-n1");
  EXPECT_EQ(microarchitecture_of(parse(kGraviton3)), "arm-neoverse-v1");
  EXPECT_EQ(microarchitecture_of(parse(kGrace)), "arm-neoverse-v2");
  EXPECT_EQ(microarchitecture_of(parse(arm_cpuinfo("0x41", "0x0", "0xd49", "0"))), "arm-neoverse-n2");
  EXPECT_EQ(microarchitecture_of(parse(kOryon)), "arm-other");
  // N3/V3 are named but have no event table yet; an Ampere part 0xd0c is not an N1.
  EXPECT_EQ(microarchitecture_of(parse(arm_cpuinfo("0x41", "0x0", "0xd8e", "1"))), "arm-other");
  EXPECT_EQ(microarchitecture_of(parse(arm_cpuinfo("0xc0", "0x0", "0xd0c", "0"))), "arm-other");
}

TEST(Midr, DecodesTheFieldsOfTheRegister) {
  const Midr n1 = decode_midr(0x413fd0c1);  // Graviton2, Ampere Altra: Neoverse N1 r3p1
  EXPECT_EQ(n1.implementer, 0x41u);
  EXPECT_EQ(n1.variant, 0x3u);
  EXPECT_EQ(n1.architecture, 0xfu);
  EXPECT_EQ(n1.part, 0xd0cu);
  EXPECT_EQ(n1.revision, 0x1u);
  EXPECT_EQ(encode_midr(0x41, 0x3, 0xf, 0xd0c, 0x1).value, 0x413fd0c1u);
  EXPECT_EQ(encode_midr(0xc0, 0x1, 0xf, 0xac3, 0x0).value, 0xc01fac30u);
  EXPECT_EQ(midr_hex(0x413fd0c1), "0x413fd0c1");
  EXPECT_EQ(midr_hex(0x0000d0c1), "0x0000d0c1");
}

TEST(Midr, ReadsTheSysfsTextAndRefusesAnythingElse) {
  // The kernel writes the 64-bit register, upper half zero, with a newline.
  const auto m = parse_midr_text("0x00000000413fd0c1\n");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->value, 0x413fd0c1u);
  EXPECT_EQ(m->part, 0xd0cu);
  for (const char* bad : {"", "\n", "413fd0c1", "0x", "0x413fd0c1 junk", "0xg13fd0c1", "0x1413fd0c1"})
    EXPECT_FALSE(parse_midr_text(bad).has_value()) << bad;
}

TEST(Midr, NamesKnownImplementersAndPartsAndShowsOthersAsHex) {
  EXPECT_EQ(arm_cpu_name(decode_midr(0x413fd0c1)), "Arm Neoverse N1");
  EXPECT_EQ(arm_cpu_name(decode_midr(0x411fd401)), "Arm Neoverse V1");
  EXPECT_EQ(arm_cpu_name(decode_midr(0x410fd4f0)), "Arm Neoverse V2");
  EXPECT_EQ(arm_part_name(0x41, 0xd49), "Neoverse N2");
  EXPECT_EQ(arm_part_name(0x41, 0xd8e), "Neoverse N3");
  EXPECT_EQ(arm_part_name(0x41, 0xd84), "Neoverse V3");
  EXPECT_EQ(arm_part_name(0x41, 0xd03), "Cortex-A53");
  EXPECT_EQ(arm_part_name(0x41, 0xd07), "Cortex-A57");
  EXPECT_EQ(arm_part_name(0x41, 0xd08), "Cortex-A72");
  EXPECT_EQ(arm_part_name(0x41, 0xd0b), "Cortex-A76");
  EXPECT_EQ(arm_part_name(0xc0, 0xac3), "AmpereOne");
  EXPECT_EQ(arm_part_name(0xc0, 0xac4), "AmpereOne");
  for (const auto& [id, name] : {std::pair{0x41u, "Arm"}, {0x42u, "Broadcom"}, {0x43u, "Cavium"}, {0x46u, "Fujitsu"},
                                 {0x48u, "HiSilicon"}, {0x4eu, "NVIDIA"}, {0x50u, "APM"}, {0x51u, "Qualcomm"},
                                 {0x61u, "Apple"}, {0xc0u, "Ampere"}})
    EXPECT_EQ(arm_implementer_name(id), name);
  // Unknown: the number, never a neighbour's name; a part number belongs to its implementer.
  EXPECT_EQ(arm_cpu_name(decode_midr(0x510f0012)), "Qualcomm part 0x001");
  EXPECT_EQ(arm_part_name(0x41, 0xd0d), "part 0xd0d");
  EXPECT_EQ(arm_part_name(0xc0, 0xd0c), "part 0xd0c");
  EXPECT_EQ(arm_implementer_name(0x6d), "implementer 0x6d");
}

TEST(Midr, SourcesAreTriedInOrderSysfsCpuinfoMrs) {
  const CpuIdentity n1 = parse(kGraviton2);
  const CpuIdentity none = parse("processor\t: 0\nvendor_id\t: AuthenticAMD\n");

  const MidrFact sysfs = choose_midr("0x00000000410fd4f0\n", n1, 0x411fd401u);
  ASSERT_TRUE(sysfs.midr.has_value());
  EXPECT_EQ(sysfs.midr->value, 0x410fd4f0u);
  EXPECT_EQ(sysfs.source, "sysfs");

  // cpuinfo's "CPU architecture: 8" becomes the register's 0xF.
  const MidrFact cpuinfo = choose_midr("", n1, 0x411fd401u);
  ASSERT_TRUE(cpuinfo.midr.has_value());
  EXPECT_EQ(cpuinfo.midr->value, 0x413fd0c1u);
  EXPECT_EQ(cpuinfo.source, "cpuinfo");
  EXPECT_EQ(choose_midr("garbage", n1, std::nullopt).source, "cpuinfo");

  // qemu-user on an x86 host: the host's cpuinfo, no sysfs file, the emulated register.
  const MidrFact mrs = choose_midr("", none, 0x411fd401u);
  ASSERT_TRUE(mrs.midr.has_value());
  EXPECT_EQ(mrs.midr->part, 0xd40u);
  EXPECT_EQ(mrs.source, "mrs");

  // cpuinfo with implementer and part but no variant/revision is not a whole MIDR.
  EXPECT_EQ(choose_midr("", parse("CPU implementer\t: 0x41\nCPU part\t: 0xd0c\n"), std::nullopt).source, "");

  const MidrFact nothing = choose_midr("", none, std::nullopt);
  EXPECT_FALSE(nothing.midr.has_value());
  EXPECT_EQ(nothing.source, "");
}

TEST(Midr, ThisMachinesMidrIsFoundOnArmAndAbsentOnX86) {
  const MidrFact& fact = this_midr();
#if defined(__x86_64__) || defined(__i386__)
  EXPECT_FALSE(fact.midr.has_value());
  EXPECT_EQ(fact.source, "");
#elif defined(__aarch64__)
  // Real hardware has sysfs or cpuinfo; qemu-user at least the emulated register.
  ASSERT_TRUE(fact.midr.has_value());
  EXPECT_TRUE(fact.source == "sysfs" || fact.source == "cpuinfo" || fact.source == "mrs") << fact.source;
  EXPECT_TRUE(this_cpu().arm_implementer.has_value());
  EXPECT_EQ(microarchitecture_of(this_cpu()).rfind("arm-", 0), 0u);
#else
  GTEST_SKIP() << "neither x86 nor aarch64";
#endif
}

bool has(const std::vector<EventDescription>& events, const std::string& name) {
  return std::any_of(events.begin(), events.end(), [&](const EventDescription& e) { return e.name == name; });
}

TEST(NeoverseDefaultEvents, EachNeoverseKeyHasTheArmCoherenceEvents) {
  for (const char* uarch : {"arm-neoverse-n1", "arm-neoverse-v1", "arm-neoverse-n2", "arm-neoverse-v2"}) {
    const auto events = default_events(uarch);
    for (const char* name : {"BUS_ACCESS", "L1D_CACHE_REFILL", "L2D_CACHE_REFILL", "LL_CACHE_MISS_RD",
                             "REMOTE_ACCESS", "L1D_CACHE_REFILL_OUTER", "STREX_FAIL_SPEC"})
      EXPECT_TRUE(has(events, name)) << uarch << " " << name;
    // Then the presets and the software events, as on x86.
    EXPECT_TRUE(has(events, "PAPI_L1_DCM")) << uarch;
    EXPECT_TRUE(has(events, "ctx_switches")) << uarch;
    EXPECT_TRUE(has(events, "migrations")) << uarch;
    EXPECT_FALSE(has(events, "RETIRED_LOCK_INSTRUCTIONS")) << uarch;
    for (const auto& e : events) EXPECT_FALSE(e.meaning.empty()) << uarch << " " << e.name;
    EXPECT_NE(default_events_note(uarch).find("libpfm4"), std::string::npos) << uarch;
  }
  // Another Arm CPU: presets and software events only, and the note says so.
  const auto other = default_events("arm-other");
  EXPECT_FALSE(has(other, "BUS_ACCESS"));
  EXPECT_TRUE(has(other, "PAPI_L1_DCM"));
  EXPECT_NE(default_events_note("arm-other").find("no native defaults"), std::string::npos);
  EXPECT_FALSE(has(default_events("amd-zen4"), "BUS_ACCESS"));
  EXPECT_FALSE(meaning_of("STREX_FAIL_SPEC").empty());
}

}  // namespace
}  // namespace rcbench::perf
