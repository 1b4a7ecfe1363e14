#include "machine_facts.hpp"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <istream>
#include <sstream>
#include <string_view>

namespace rcbench::perf {

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

unsigned to_unsigned(std::string_view s) {
  unsigned value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

bool has_flag(std::string_view flags, std::string_view flag) {
  std::size_t pos = 0;
  while ((pos = flags.find(flag, pos)) != std::string_view::npos) {
    const bool starts = pos == 0 || flags[pos - 1] == ' ';
    const std::size_t end = pos + flag.size();
    if (starts && (end == flags.size() || flags[end] == ' ')) return true;
    pos = end;
  }
  return false;
}

}  // namespace

CpuIdentity parse_cpuinfo(std::istream& cpuinfo) {
  CpuIdentity cpu;
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (trim(line).empty()) break;  // the first processor's block ends at a blank line
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string_view key = trim(std::string_view(line).substr(0, colon));
    const std::string_view value = trim(std::string_view(line).substr(colon + 1));
    if (key == "vendor_id") {
      cpu.vendor_id = value;
    } else if (key == "cpu family") {
      cpu.family = to_unsigned(value);
    } else if (key == "model") {
      cpu.model = to_unsigned(value);
    } else if (key == "model name") {
      cpu.model_name = value;
    } else if (key == "flags") {
      cpu.hypervisor = has_flag(value, "hypervisor");
    }
  }
  return cpu;
}

const CpuIdentity& this_cpu() {
  static const CpuIdentity cpu = [] {
    std::ifstream in("/proc/cpuinfo");
    return in ? parse_cpuinfo(in) : CpuIdentity{};
  }();
  return cpu;
}

std::string microarchitecture_of(const CpuIdentity& cpu) {
  if (cpu.vendor_id == "AuthenticAMD" || cpu.vendor_id == "HygonGenuine") {
    // Family 19h holds both Zen 3 and Zen 4; the model ranges are the ones libpfm4
    // (pfmlib_amd64.c) and Linux use to tell them apart.
    const unsigned m = cpu.model;
    if (cpu.family == 0x19) {
      const bool zen4 =
          (m >= 0x10 && m <= 0x1f) || (m >= 0x60 && m <= 0x7f) || (m >= 0xa0 && m <= 0xaf);
      return zen4 ? "amd-zen4" : "amd-zen3";
    }
    if (cpu.family == 0x1a) return "amd-zen5";
    if (cpu.family == 0x17) return "amd-zen1-2";
    return "unknown";
  }
  if (cpu.vendor_id == "GenuineIntel") return "intel";
  return "unknown";
}

std::optional<int> perf_event_paranoid() {
  std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
  int value = 0;
  if (in >> value) return value;
  return std::nullopt;
}

bool running_as_root() { return geteuid() == 0; }

namespace {
std::string first_line_of(const char* path) {
  std::ifstream in(path);
  std::string line;
  return in && std::getline(in, line) ? line : std::string();
}
}  // namespace

const std::vector<std::string>& vm_evidence() {
  static const std::vector<std::string> evidence = [] {
    std::vector<std::string> e;
    if (this_cpu().hypervisor) e.emplace_back("/proc/cpuinfo has the 'hypervisor' flag");
    if (const std::string hv = first_line_of("/sys/hypervisor/type"); !hv.empty())
      e.push_back("/sys/hypervisor/type is '" + hv + "'");
    const std::string vendor = first_line_of("/sys/class/dmi/id/sys_vendor");
    for (const char* v : {"QEMU", "KVM", "VMware", "Xen", "Microsoft", "Amazon EC2", "Google"})
      if (vendor.find(v) != std::string::npos) {
        e.push_back("DMI sys_vendor is '" + vendor + "'");
        break;
      }
    return e;
  }();
  return evidence;
}

}  // namespace rcbench::perf
