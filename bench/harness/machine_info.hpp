// What a reader needs to trust a run's numbers, read from the OS: CPU model,
// kernel, frequency governor and turbo, virtualization, perf_event_paranoid,
// steal time and load; the ISA, LSE and on Arm the MIDR. Missing files give "unknown" (or
// null for the facts added since), never a guess.
#pragma once

#include <nlohmann/json.hpp>

namespace rcbench::harness {

nlohmann::json machine_facts();         // static facts: cpu, kernel, governor, turbo, virtual, ...
nlohmann::json environment_snapshot();  // changing facts: steal ticks, load average, time
nlohmann::json build_facts();           // compiler, flags, build type, git revision

}  // namespace rcbench::harness
