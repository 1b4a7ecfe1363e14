#include "machine_info.hpp"

#include "atomics_mode.hpp"

#include "rcbench_revision.h"

#include "perf/machine_facts.hpp"

#include <fmt/chrono.h>

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace rcbench::harness {
namespace {

std::string read_first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "unknown";
  return line;
}

std::string cpuinfo_field(const std::string& key) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        auto v = line.substr(colon + 1);
        v.erase(0, v.find_first_not_of(" \t"));
        return v;
      }
    }
  }
  return "unknown";
}

// /proc/meminfo's MemTotal in bytes; null where it cannot be read.
nlohmann::json mem_total_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    unsigned long long kib = 0;
    if (std::sscanf(line.c_str(), "MemTotal: %llu kB", &kib) == 1 && kib > 0) return kib * 1024ULL;
  }
  return nullptr;
}

// The MIDR as the run records it: its fields (numbers) with the names rcbench knows, and
// the whole register as the hex text Arm's documents use; null where none was found.
nlohmann::json midr_json(const perf::MidrFact& fact) {
  if (!fact.midr) return nullptr;
  const perf::Midr& m = *fact.midr;
  return {{"value", perf::midr_hex(m.value)},
          {"implementer", m.implementer},
          {"implementer_name", perf::arm_implementer_name(m.implementer)},
          {"part", m.part},
          {"part_name", perf::arm_part_name(m.implementer, m.part)},
          {"variant", m.variant},
          {"revision", m.revision}};
}

// x86's /proc/cpuinfo fields mean something only where the kernel is x86's; elsewhere
// (arm64 has no vendor_id, family or model lines) they are null, not "unknown".
bool x86_machine(const std::string& isa) {
  return isa == "x86_64" || (isa.size() == 4 && isa[0] == 'i' && isa.substr(2) == "86");
}

nlohmann::json virtualization() {
  const auto& evidence = perf::vm_evidence();
  return {{"is_virtual", !evidence.empty()}, {"evidence", evidence}};
}

std::string turbo_state() {
  const std::string no_turbo = read_first_line("/sys/devices/system/cpu/intel_pstate/no_turbo");
  if (no_turbo == "1") return "off";
  if (no_turbo == "0") return "on";
  const std::string boost = read_first_line("/sys/devices/system/cpu/cpufreq/boost");
  if (boost == "1") return "on";
  if (boost == "0") return "off";
  return "unknown";
}

// A number from a file or cpuinfo text; null when absent or not a positive number.
nlohmann::json positive_number(const std::string& text, double scale) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used > 0 && value > 0) return value * scale;
  } catch (const std::exception&) {
  }
  return nullptr;
}

std::string iso_now() { return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))); }

}  // namespace

nlohmann::json machine_facts() {
  utsname u{};
  uname(&u);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const std::optional<int> paranoid = perf::perf_event_paranoid();
  const std::string isa = u.machine;
  const bool x86 = x86_machine(isa);
  const perf::MidrFact& midr = perf::this_midr();
  const std::optional<bool> lse = cpu_has_lse();
  // On Arm the MIDR names the CPU: arm64's cpuinfo has no "model name" (and under
  // qemu-user the file is the x86 host's, which does not describe this CPU).
  std::string cpu_model = cpuinfo_field("model name");
  std::string vendor = cpuinfo_field("vendor_id");
  if (!x86 && midr.midr) {
    cpu_model = perf::arm_cpu_name(*midr.midr);
    vendor = perf::arm_implementer_name(midr.midr->implementer);
  }
  return {
      {"cpu_model", cpu_model},
      {"vendor", vendor},
      {"cpu_family", x86 ? nlohmann::json(cpuinfo_field("cpu family")) : nlohmann::json(nullptr)},
      {"cpu_model_number", x86 ? nlohmann::json(cpuinfo_field("model\t")) : nlohmann::json(nullptr)},
      // The running machine's instruction set (uname), beside the build's (rcbench.build.isa):
      // whether its CPU has LSE atomics (null off aarch64) and, on Arm, its MIDR.
      {"isa", isa},
      {"lse", lse ? nlohmann::json(*lse) : nlohmann::json(nullptr)},
      {"midr", midr_json(midr)},
      {"midr_source", midr.midr ? nlohmann::json(midr.source) : nlohmann::json(nullptr)},
      {"kernel", std::string(u.sysname) + " " + u.release},
      {"hostname", host},
      {"virtual", virtualization()},
      {"governor", read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")},
      {"turbo", turbo_state()},
      {"perf_event_paranoid", paranoid ? std::to_string(*paranoid) : std::string("unknown")},
      {"isolated_cpus", read_first_line("/sys/devices/system/cpu/isolated")},
      {"smt_control", read_first_line("/sys/devices/system/cpu/smt/control")},
      // The clock: the first CPU's current MHz as cpuinfo shows it (a VM shows the
      // host's nominal clock) and cpufreq's maximum (kHz in sysfs); null when absent.
      {"cpu_mhz", positive_number(cpuinfo_field("cpu MHz"), 1.0)},
      {"mem_total_bytes", mem_total_bytes()},
      {"cpufreq_max_mhz",
       positive_number(read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"), 1e-3)},
  };
}

nlohmann::json environment_snapshot() {
  // Steal: the 8th number of /proc/stat's "cpu" line, in clock ticks (USER_HZ).
  std::ifstream stat("/proc/stat");
  std::string cpu;
  long long v[8] = {};
  stat >> cpu >> v[0] >> v[1] >> v[2] >> v[3] >> v[4] >> v[5] >> v[6] >> v[7];
  long long total = 0;
  for (long long x : v) total += x;
  double l1 = 0, l5 = 0, l15 = 0;
  std::ifstream("/proc/loadavg") >> l1 >> l5 >> l15;
  return {{"time", iso_now()},
          {"steal_ticks", v[7]},
          {"total_ticks", total},
          {"ticks_per_s", sysconf(_SC_CLK_TCK)},
          {"loadavg_1m", l1},
          {"loadavg_5m", l5}};
}

nlohmann::json build_facts() {
  return {{"compiler", std::string("gcc ") + __VERSION__},
          {"flags", RCBENCH_CXX_FLAGS},
          {"build_type", RCBENCH_BUILD_TYPE},
          // What an atomic refcount compiled to (cmake/RcbenchAtomics.cmake).
          {"isa", build_isa()},
          {"atomics_mode", build_atomics_mode()},
          {"git_revision", RCBENCH_GIT_REVISION},
          {"version", RCBENCH_VERSION}};
}

}  // namespace rcbench::harness
