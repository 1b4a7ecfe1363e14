// EventSelection -> the run JSON's "perf" object (described in docs/events.md).
#include <nlohmann/json.hpp>

#include "arm_cpu_ids.hpp"
#include "default_events.hpp"
#include "event_selection.hpp"
#include "machine_facts.hpp"
#include "papi_backend.hpp"
#include "source_probe.hpp"
#include "unavailable_reasons.hpp"

namespace rcbench::perf {

namespace {

// What PAPI counts in, as the probe found it: PAPI accepts PAPI_DOM_ALL even where
// the kernel then drops kernel-side counting (not root, perf_event_paranoid 2).
std::string domain_text() {
  const Papi::Library& lib = Papi::library();
  if (!lib.usable) return "none (PAPI not usable)";
  if (!lib.domain_all) return "user only (" + lib.domain_problem + ")";
  if (software_probe().papi_ctx_switches) return "all (user + kernel), verified by the probe";
  return "user only in effect: PAPI accepted PAPI_DOM_ALL but kernel-side events read 0";
}

}  // namespace

nlohmann::json EventSelection::to_json() const {
  const Papi::Library& lib = Papi::library();
  const MachineContext& machine = this_machine();
  const CpuIdentity& cpu = this_cpu();

  nlohmann::json source = {
      {"papi_built_in", Papi::kBuiltIn},
      {"papi_usable", lib.usable},
      {"papi_version", lib.version.empty() ? nlohmann::json(nullptr) : nlohmann::json(lib.version)},
      {"papi_problem", lib.problem},
      {"cpu_component",
       {{"enabled", lib.cpu_component_enabled},
        {"problem", lib.cpu_component_problem},
        {"hardware_counters_per_thread", lib.hardware_counters},
        {"pmus", lib.pmus}}},
      {"domain", domain_text()},
      {"ctx_switches", source_name(counting_.ctx_switches)},
      {"migrations", source_name(counting_.migrations)},
      {"multiplexing", multiplexing_},
      {"selection", origin_},
      {"microarchitecture", microarchitecture_},
      {"default_events_note", default_events_note(microarchitecture_)},
      {"cpu",
       {{"vendor_id", cpu.vendor_id},
        {"family", cpu.family},
        {"model", cpu.model},
        {"model_name", cpu.model_name},
        // Arm's identity (the MIDR's implementer and part); null elsewhere.
        {"arm_cpu", cpu.arm_implementer && cpu.arm_part
                        ? nlohmann::json(arm_implementer_name(*cpu.arm_implementer) + " " +
                                         arm_part_name(*cpu.arm_implementer, *cpu.arm_part))
                        : nlohmann::json(nullptr)}}},
      {"virtual_machine",
       {{"is_virtual", machine.virtual_machine}, {"evidence", machine.vm_evidence}}},
      {"perf_event_paranoid",
       machine.paranoid ? nlohmann::json(*machine.paranoid) : nlohmann::json(nullptr)},
      {"root", machine.root},
      {"notes", notes_},
  };
  nlohmann::json events = nlohmann::json::array();
  for (const EventStatus& st : statuses_) {
    events.push_back({{"name", st.name},
                      {"available", st.available},
                      {"source", st.source},
                      {"reason", st.reason},
                      {"meaning", st.meaning}});
  }
  return {{"source", std::move(source)}, {"counted", counted()}, {"events", std::move(events)}};
}

}  // namespace rcbench::perf
