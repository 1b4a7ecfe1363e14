// Why an event cannot be counted, in words a user can act on: the PAPI error's name,
// PAPI's own sentence, and what it means on this machine.
#pragma once

#include <optional>
#include <string>

namespace rcbench::perf {

struct MachineContext {
  bool virtual_machine = false;
  std::string vm_evidence;      // "/proc/cpuinfo has the 'hypervisor' flag; PAPI: KVMKVMKVM"
  std::optional<int> paranoid;  // perf_event_paranoid
  bool root = false;
  std::string microarchitecture;
  std::string papi_version;
};
const MachineContext& this_machine();

// The event exists (PAPI knows its name) but could not be counted.
std::string explain_refusal(int papi_error, const MachineContext& m);
// No PAPI component on this machine knows the name.
std::string explain_unknown(int papi_error, const MachineContext& m);
// A PAPI preset that this PAPI version maps to nothing on this CPU.
std::string explain_unmapped_preset(const MachineContext& m);
// Counts alone, but not together with the events before it.
std::string explain_misfit(int papi_error, int multiplex_error);

}  // namespace rcbench::perf
