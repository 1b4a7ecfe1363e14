#include "machine_facts.hpp"

#include <unistd.h>

#if defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

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

// "0x41" (hex, as arm64 cpuinfo writes implementer, variant and part) or "8" (decimal:
// architecture, revision); nullopt for anything else.
std::optional<unsigned> to_number(std::string_view s) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
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
    } else if (key == "CPU implementer") {
      cpu.arm_implementer = to_number(value);
    } else if (key == "CPU variant") {
      cpu.arm_variant = to_number(value);
    } else if (key == "CPU architecture") {
      cpu.arm_architecture = to_number(value);
    } else if (key == "CPU part") {
      cpu.arm_part = to_number(value);
    } else if (key == "CPU revision") {
      cpu.arm_revision = to_number(value);
    }
  }
  return cpu;
}

namespace {

const CpuIdentity& cpuinfo_as_read() {
  static const CpuIdentity cpu = [] {
    std::ifstream in("/proc/cpuinfo");
    return in ? parse_cpuinfo(in) : CpuIdentity{};
  }();
  return cpu;
}

std::string whole_file(const char* path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return in ? text.str() : std::string();
}

// MIDR_EL1 read with `mrs`: user space may only do it where the kernel traps and emulates
// it, which it announces with HWCAP_CPUID (Linux 4.11+); without the flag it would SIGILL.
std::optional<std::uint32_t> midr_from_mrs() {
#if defined(__aarch64__)
  if ((getauxval(AT_HWCAP) & HWCAP_CPUID) == 0) return std::nullopt;
  std::uint64_t value = 0;
  asm volatile("mrs %0, midr_el1" : "=r"(value));
  return static_cast<std::uint32_t>(value);
#else
  return std::nullopt;
#endif
}

}  // namespace

MidrFact choose_midr(std::string_view sysfs_text, const CpuIdentity& cpuinfo, std::optional<std::uint32_t> mrs) {
  if (const std::optional<Midr> m = parse_midr_text(sysfs_text)) return {m, "sysfs"};
  if (cpuinfo.arm_implementer && cpuinfo.arm_variant && cpuinfo.arm_part && cpuinfo.arm_revision)
    return {encode_midr(*cpuinfo.arm_implementer, *cpuinfo.arm_variant, 0xf, *cpuinfo.arm_part, *cpuinfo.arm_revision),
            "cpuinfo"};
  if (mrs) return {decode_midr(*mrs), "mrs"};
  return {};
}

const MidrFact& this_midr() {
  static const MidrFact fact =
      choose_midr(whole_file("/sys/devices/system/cpu/cpu0/regs/identification/midr_el1"), cpuinfo_as_read(),
                  midr_from_mrs());
  return fact;
}

const CpuIdentity& this_cpu() {
  static const CpuIdentity cpu = [] {
    CpuIdentity c = cpuinfo_as_read();
#if defined(__aarch64__)
    if (!c.arm_implementer || !c.arm_part) {
      if (const std::optional<Midr>& m = this_midr().midr) {
        c.arm_implementer = m->implementer;
        c.arm_variant = m->variant;
        c.arm_architecture = m->architecture;
        c.arm_part = m->part;
        c.arm_revision = m->revision;
      }
    }
#endif
    return c;
  }();
  return cpu;
}

std::string microarchitecture_of(const CpuIdentity& cpu) {
  if (cpu.arm_implementer) {
    // Arm Ltd's own cores; the keys of the Neoverse tables in default_events.cpp.
    if (*cpu.arm_implementer == 0x41 && cpu.arm_part) {
      switch (*cpu.arm_part) {
        case 0xd0c: return "arm-neoverse-n1";
        case 0xd40: return "arm-neoverse-v1";
        case 0xd49: return "arm-neoverse-n2";
        case 0xd4f: return "arm-neoverse-v2";
        default: break;
      }
    }
    return "arm-other";
  }
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

// On Arm there is no CPUID hypervisor flag (arm64 cpuinfo has "Features", not "flags", and
// no architectural "I am virtual" bit), so only the two OS signs apply there: DMI's
// sys_vendor (Arm servers boot with UEFI and have SMBIOS: an EC2 Graviton instance says
// "Amazon EC2") and /sys/hypervisor (Xen). A KVM guest with neither looks physical.
const std::vector<std::string>& vm_evidence() {
  static const std::vector<std::string> evidence = [] {
    std::vector<std::string> e;
    if (this_cpu().hypervisor) e.emplace_back("/proc/cpuinfo has the 'hypervisor' flag");
    // A user-mode emulator (qemu-user) passes the host's /proc/cpuinfo through: an
    // aarch64 binary that reads an x86 CPU there is emulated, and so are its timings.
#if defined(__aarch64__)
    if (!this_cpu().vendor_id.empty())
      e.push_back("/proc/cpuinfo describes an x86 CPU ('" + this_cpu().vendor_id +
                  "') to this aarch64 binary: a user-mode emulator (qemu-user) runs it");
#endif
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
