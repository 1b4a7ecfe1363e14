#include "unavailable_reasons.hpp"

#include "machine_facts.hpp"
#include "papi_backend.hpp"

namespace rcbench::perf {

namespace {

std::string head(int error) {
  if (error == Papi::kNotBuiltIn) return Papi::library().problem;
  return Papi::error_name(error) + " (" + Papi::error_text(error) + ")";
}

std::string paranoid_text(const MachineContext& m) {
  return m.paranoid ? std::to_string(*m.paranoid) : std::string("missing");
}

}  // namespace

const MachineContext& this_machine() {
  static const MachineContext context = [] {
    MachineContext m;
    const CpuIdentity& cpu = this_cpu();
    const Papi::Library& lib = Papi::library();
    const std::vector<std::string>& signs = vm_evidence();
    m.virtual_machine = !signs.empty() || lib.virtualized;
    for (const std::string& sign : signs) m.vm_evidence += (m.vm_evidence.empty() ? "" : "; ") + sign;
    if (lib.virtualized)
      m.vm_evidence += (m.vm_evidence.empty() ? "" : "; ") + std::string("PAPI: ") +
                       (lib.vm_vendor.empty() ? "virtualized" : lib.vm_vendor);
    m.paranoid = perf_event_paranoid();
    m.root = running_as_root();
    m.microarchitecture = microarchitecture_of(cpu);
    m.papi_version = lib.version;
    return m;
  }();
  return context;
}

std::string explain_refusal(int error, const MachineContext& m) {
  if (error == Papi::kNotBuiltIn) return head(error);
  const std::string name = Papi::error_name(error);
  std::string meaning;
  if (name == "PAPI_ENOEVNT") {
    meaning = m.virtual_machine
                  ? "the kernel refused to count it; this is a virtual machine (" + m.vm_evidence +
                        ") whose hypervisor exposes no hardware "
                        "performance counters to the guest (a normal outcome here)"
                  : "the kernel refused to count it: this CPU's PMU or this kernel does not "
                    "support it";
  } else if (name == "PAPI_EPERM") {
    meaning =
        "not permitted: run as root or with CAP_PERFMON, or lower "
        "/proc/sys/kernel/perf_event_paranoid (now " +
        paranoid_text(m) + ")";
  } else if (name == "PAPI_ECNFLCT") {
    meaning =
        "no free hardware counter for it: another program or the NMI watchdog "
        "(/proc/sys/kernel/nmi_watchdog) may hold counters";
  } else if (name == "PAPI_EMULPASS") {
    meaning = "PAPI would need several passes to count it";
  } else if (name == "PAPI_ESYS") {
    meaning = "a system call failed (perf_event_open); see dmesg";
  } else if (name == "PAPI_EINVAL") {
    meaning = "PAPI rejected it (a bad qualifier or a domain this PMU cannot count?)";
  } else if (name == "PAPI_ECMP_DISABLED" || name == "PAPI_ENOCMP") {
    meaning = "the PAPI component that counts it is disabled (see `papi_component_avail`)";
  } else {
    meaning = "PAPI could not count it";
  }
  return head(error) + ": " + meaning;
}

std::string explain_unknown(int error, const MachineContext& m) {
  if (error == Papi::kNotBuiltIn) return head(error);
  return head(error) +
         ": unknown on this machine: no PAPI component knows the name (an "
         "event of another CPU generation than " +
         m.microarchitecture + "?); `papi_native_avail` and `papi_avail` list the names it knows";
}

std::string explain_unmapped_preset(const MachineContext& m) {
  return "PAPI_ENOEVNT (Event does not exist): PAPI " + m.papi_version +
         " maps this preset to no native event of this CPU (" + m.microarchitecture +
         "); the native events among the defaults count what it would";
}

std::string explain_misfit(int error, int multiplex_error) {
  std::string text =
      head(error) + ": counts alone, but not in one set with the events listed before it";
  if (multiplex_error != 0)
    return text + "; multiplexing is not possible here (" + head(multiplex_error) +
           "): skipped, count it in a separate run (another pass)";
  return text + "; skipped, count it in a separate run (another pass)";
}

}  // namespace rcbench::perf
