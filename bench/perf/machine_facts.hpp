// What the machine is, as far as choosing and explaining counters needs: the CPU's
// vendor, family and model (which decide the native event names), whether it is a
// virtual machine (which usually means no hardware events at all), and the kernel's
// perf_event_paranoid (which decides whether kernel-side events can be counted).
// Read from /proc, so it works with and without PAPI.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::perf {

struct CpuIdentity {
  std::string vendor_id;    // "AuthenticAMD", "GenuineIntel", ...
  unsigned family = 0;      // x86 effective family ("cpu family" in /proc/cpuinfo)
  unsigned model = 0;       // x86 effective model
  std::string model_name;   // "AMD EPYC 9654 96-Core Processor"
  bool hypervisor = false;  // the CPUID hypervisor bit: running in a virtual machine
};

// Parses the first processor's block of /proc/cpuinfo text.
CpuIdentity parse_cpuinfo(std::istream& cpuinfo);
// This machine (read once; empty identity if /proc/cpuinfo is unreadable).
const CpuIdentity& this_cpu();

// "amd-zen3", "amd-zen4", "amd-zen5", "amd-zen1-2", "intel", or "unknown": the key of
// the default event table (default_events.hpp).
std::string microarchitecture_of(const CpuIdentity& cpu);

// /proc/sys/kernel/perf_event_paranoid; empty when the file is missing (no perf_event).
std::optional<int> perf_event_paranoid();

// Why this machine looks virtual, one line per sign (the CPUID hypervisor flag,
// /sys/hypervisor/type, a hypervisor's name in DMI sys_vendor); empty when none is
// seen. The one place rcbench decides "is this a VM" (the run record and the counter
// explanations both read it).
const std::vector<std::string>& vm_evidence();
bool running_as_root();

}  // namespace rcbench::perf
