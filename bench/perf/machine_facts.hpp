// What the machine is, as far as choosing and explaining counters needs: the CPU's
// vendor, family and model, or on Arm its MIDR (which decide the native event names), whether it is a
// virtual machine (which usually means no hardware events at all), and the kernel's
// perf_event_paranoid (which decides whether kernel-side events can be counted).
// Read from /proc, so it works with and without PAPI.
#pragma once

#include "perf/arm_cpu_ids.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::perf {

struct CpuIdentity {
  std::string vendor_id;    // "AuthenticAMD", "GenuineIntel", ...
  unsigned family = 0;      // x86 effective family ("cpu family" in /proc/cpuinfo)
  unsigned model = 0;       // x86 effective model
  std::string model_name;   // "AMD EPYC 9654 96-Core Processor"
  bool hypervisor = false;  // the CPUID hypervisor bit: running in a virtual machine
  // arm64's /proc/cpuinfo has none of the above: it prints the MIDR's fields as "CPU
  // implementer : 0x41", "CPU variant : 0x3", "CPU architecture : 8", "CPU part : 0xd0c",
  // "CPU revision : 1". Empty where the text has no such line (x86).
  std::optional<unsigned> arm_implementer, arm_variant, arm_architecture, arm_part, arm_revision;
};

// Parses the first processor's block of /proc/cpuinfo text.
CpuIdentity parse_cpuinfo(std::istream& cpuinfo);
// This machine (read once; empty identity if /proc/cpuinfo is unreadable). On aarch64,
// when the text has no "CPU implementer"/"CPU part" (qemu-user shows the host's
// /proc/cpuinfo), they are taken from this_midr() if it found one.
const CpuIdentity& this_cpu();

// "amd-zen3", "amd-zen4", "amd-zen5", "amd-zen1-2", "intel", "arm-neoverse-n1",
// "arm-neoverse-v1", "arm-neoverse-n2", "arm-neoverse-v2", "arm-other" (any other CPU
// whose cpuinfo names an Arm implementer), or "unknown": the key of the default event
// table (default_events.hpp). Arm fields win over x86 ones when a text has both.
std::string microarchitecture_of(const CpuIdentity& cpu);

// The Arm CPU's MIDR and where it was read: "sysfs" (/sys/devices/system/cpu/cpu0/regs/
// identification/midr_el1), "cpuinfo" (the five "CPU ..." lines) or "mrs" (the register
// itself, which the kernel emulates for user space when HWCAP_CPUID is set). Empty (no
// midr, no source) where none of them has it: every x86 machine.
struct MidrFact {
  std::optional<Midr> midr;
  std::string source;
};

// The first source that has the MIDR, in the order above. sysfs_text is that file's
// content ("" when absent), mrs the register's value (nullopt off aarch64 or without
// HWCAP_CPUID). cpuinfo needs all of implementer, variant, part and revision; its
// "CPU architecture" is the kernel's ARM version (8), not the register's field, which is
// 0xF on every CPU with the CPUID scheme (ARMv7 and later), so the value is rebuilt with 0xF.
MidrFact choose_midr(std::string_view sysfs_text, const CpuIdentity& cpuinfo, std::optional<std::uint32_t> mrs);
// This machine's (read once).
const MidrFact& this_midr();

// /proc/sys/kernel/perf_event_paranoid; empty when the file is missing (no perf_event).
std::optional<int> perf_event_paranoid();

// Why this machine looks virtual, one line per sign (the CPUID hypervisor flag,
// /sys/hypervisor/type, a hypervisor's name in DMI sys_vendor); empty when none is
// seen. The one place rcbench decides "is this a VM" (the run record and the counter
// explanations both read it).
const std::vector<std::string>& vm_evidence();
bool running_as_root();

}  // namespace rcbench::perf
