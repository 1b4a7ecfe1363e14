#include "report/machine_description.hpp"

#include "report/format.hpp"

#include <fmt/core.h>

#include <array>

namespace rcbench::report {
namespace {

using nlohmann::json;

constexpr const char* kNotRecorded = "not recorded";

json field(const json& obj, const char* key) {
  return obj.is_object() && obj.contains(key) ? obj[key] : json(nullptr);
}

std::string text_or(const json& v, const char* otherwise = kNotRecorded) {
  return v.is_string() && !v.get<std::string>().empty() && v != "unknown" ? v.get<std::string>() : otherwise;
}

std::string frequency(const json& m) {
  std::vector<std::string> parts;
  if (const json mhz = field(m, "cpu_mhz"); mhz.is_number())
    parts.push_back(fmt::format("{} MHz (/proc/cpuinfo, CPU 0 at the start of the run)", format::sig(mhz.get<double>(), 4)));
  else if (const json gb = field(m, "mhz_per_cpu"); gb.is_number() && gb.get<double>() > 0)
    parts.push_back(fmt::format("{} MHz (Google Benchmark's mhz_per_cpu)", format::sig(gb.get<double>(), 4)));
  if (const json max = field(m, "cpufreq_max_mhz"); max.is_number())
    parts.push_back(fmt::format("cpufreq maximum {} MHz", format::sig(max.get<double>(), 4)));
  else if (field(m, "cpu_mhz").is_number())
    parts.push_back("no cpufreq maximum (no cpufreq driver: usual in a VM)");
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out.empty() ? kNotRecorded : out;
}

// "PUs 0,192 | 1,193 | …": each instance's PUs; the first few when there are many.
std::string sharing_text(const json& sharing) {
  constexpr std::size_t kShown = 8;
  std::string out;
  for (std::size_t i = 0; i < sharing.size() && i < kShown; ++i)
    out += (i ? " / " : "") + sharing[i].get<std::string>();
  if (sharing.size() > kShown)
    out += fmt::format(" / … ({} more in report.json machine.cache_levels)", sharing.size() - kShown);
  return out;
}

// One row per cache level from the topology, else Google Benchmark's list (sizes and how
// many CPUs share each, but not which), else "not recorded".
void cache_rows(const json& m, std::vector<std::pair<std::string, std::string>>& rows) {
  if (const json levels = field(m, "cache_levels"); levels.is_array()) {
    for (const json& c : levels) {
      const json& sharing = c["sharing"];
      rows.emplace_back(
          fmt::format("L{:g} {} cache", c["level"].get<double>(), c["type"].get<std::string>()),
          fmt::format("{} per instance, {} instance{}; PUs sharing each: {}", bytes_text(c["size_bytes"].get<double>()),
                      sharing.size(), sharing.size() == 1 ? "" : "s", sharing_text(sharing)));
    }
    return;
  }
  if (const json caches = field(m, "caches"); caches.is_array() && !caches.empty()) {
    std::string out;
    for (const json& c : caches) {
      if (!c.is_object() || !field(c, "size").is_number() || !field(c, "level").is_number()) continue;
      out += fmt::format("{}L{} {} {}, shared by {} CPU(s)", out.empty() ? "" : "; ", field(c, "level").dump(),
                         text_or(field(c, "type"), "?"), bytes_text(field(c, "size").get<double>()),
                         field(c, "num_sharing").is_number() ? field(c, "num_sharing").dump() : "?");
    }
    rows.emplace_back("Caches", out + " (Google Benchmark's context; which PUs share each: not recorded)");
    return;
  }
  rows.emplace_back("Caches", kNotRecorded);
}

std::string numa_text(const json& m) {
  const json nodes = field(m, "numa");
  if (!nodes.is_array()) {
    const json count = field(m, "numa_nodes");
    return count.is_number() ? fmt::format("{} (memory per node: not recorded)", count.dump()) : kNotRecorded;
  }
  std::string out = fmt::format("{}: ", nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const double mem = nodes[i]["memory_bytes"].get<double>();
    out += fmt::format("{}node {} ({}, PUs {})", i ? "; " : "", nodes[i]["node"].dump(),
                       mem > 0 ? bytes_text(mem) : "memory not recorded", nodes[i]["pus"].get<std::string>());
  }
  return out;
}

std::string virtual_text(const json& m) {
  const json v = field(m, "is_virtual");
  if (!v.is_boolean()) return kNotRecorded;
  std::string evidence;
  if (const json e = field(m, "virtual_evidence"); e.is_array())
    for (const json& x : e)
      if (x.is_string()) evidence += (evidence.empty() ? "" : "; ") + x.get<std::string>();
  if (!v.get<bool>()) return "no (no hypervisor evidence found)";
  return "yes" + (evidence.empty() ? std::string(" (evidence not recorded)") : " (evidence: " + evidence + ")");
}

// hwloc's total is what its NUMA nodes hold; the kernel's MemTotal can be larger (this
// VM: 10.8 GiB in node 0, 23.5 GiB MemTotal), so when both are known and differ, both.
std::string memory_text(const json& m) {
  const json nodes = field(m, "memory_bytes");
  const json total = field(m, "mem_total_bytes");
  if (!nodes.is_number()) return total.is_number() ? bytes_text(total.get<double>()) + " (MemTotal)" : kNotRecorded;
  const std::string in_nodes = bytes_text(nodes.get<double>());
  if (!total.is_number() || bytes_text(total.get<double>()) == in_nodes) return in_nodes + " total";
  return bytes_text(total.get<double>()) + " (/proc/meminfo MemTotal); " + in_nodes + " in hwloc's NUMA nodes";
}

// "Arm Neoverse N1 (MIDR 0x413fd0c1, from sysfs)" on Arm; "AMD EPYC 9654 (AuthenticAMD)"
// elsewhere. The MIDR's names stand in when the run has no cpu_model.
std::string cpu_text(const json& m) {
  const json midr = field(m, "midr");
  std::string model = text_or(field(m, "cpu_model"), "");
  if (!midr.is_object()) {
    const std::string vendor = text_or(field(m, "vendor"), "");
    return (model.empty() ? kNotRecorded : model) + (vendor.empty() ? "" : " (" + vendor + ")");
  }
  if (model.empty()) {
    const std::string implementer = text_or(field(midr, "implementer_name"), "");
    const std::string part = text_or(field(midr, "part_name"), "");
    model = implementer.empty() || part.empty() ? kNotRecorded : implementer + " " + part;
  }
  const std::string source = text_or(field(m, "midr_source"), "");
  return fmt::format("{} (MIDR {}{})", model, text_or(field(midr, "value")), source.empty() ? "" : ", from " + source);
}

// "aarch64 (atomics: lse; CPU has LSE: yes)": the ISA the binary was built for (else the
// machine's), the form its atomics took (rcbench.build), and on aarch64 whether the CPU
// has LSE (rcbench.machine.lse), which decides what outline atomics run.
std::string instruction_set_text(const json& m, const json& build) {
  const std::string built = text_or(field(build, "isa"), "");
  const std::string machine = text_or(field(m, "isa"), "");
  const std::string mode = text_or(field(build, "atomics_mode"), "");
  if (built.empty() && machine.empty() && mode.empty()) return kNotRecorded;
  std::string out = built.empty() ? (machine.empty() ? std::string(kNotRecorded) : machine) : built;
  if (!built.empty() && !machine.empty() && built != machine) out += " (machine: " + machine + ")";
  std::vector<std::string> details{"atomics: " + (mode.empty() ? std::string(kNotRecorded) : mode)};
  if (const json lse = field(m, "lse"); lse.is_boolean())
    details.push_back(std::string("CPU has LSE: ") + (lse.get<bool>() ? "yes" : "no"));
  else if (built == "aarch64" || machine == "aarch64")
    details.emplace_back("CPU has LSE: not recorded");
  std::string joined;
  for (const std::string& d : details) joined += (joined.empty() ? "" : "; ") + d;
  return out + " (" + joined + ")";
}

}  // namespace

std::string bytes_text(double bytes) {
  static constexpr std::array<const char*, 5> kUnit = {"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t u = 0;
  while (bytes >= 1024.0 && u + 1 < kUnit.size()) {
    bytes /= 1024.0;
    ++u;
  }
  return format::sig(bytes, 3) + " " + kUnit[u];
}

std::vector<std::pair<std::string, std::string>> machine_description(const json& m, const json& build) {
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back("CPU", cpu_text(m));
  rows.emplace_back("Instruction set", instruction_set_text(m, build));
  rows.emplace_back("Frequency", frequency(m));
  cache_rows(m, rows);
  rows.emplace_back("Memory", memory_text(m));
  rows.emplace_back("NUMA nodes", numa_text(m));
  rows.emplace_back("Kernel", text_or(field(m, "kernel")));
  rows.emplace_back("Virtual machine", virtual_text(m));
  return rows;
}

}  // namespace rcbench::report
