// The events rcbench counts when none are named, per microarchitecture, each with
// what it says about cache coherence. docs/events.md is the long form of this table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rcbench::perf {

// The two OS-level events every selection counts, whatever else it names. These are
// the names values() and the run JSON use, whichever source counted them.
inline constexpr std::string_view kCtxSwitches = "ctx_switches";
inline constexpr std::string_view kMigrations = "migrations";

struct EventDescription {
  std::string name;     // as PAPI spells it (preset, native, perf::...) or kCtxSwitches
  std::string meaning;  // what a count means for reference counting / coherence
};

// Native events for the microarchitecture (microarchitecture_of()), then the PAPI
// presets, then the two software events.
std::vector<EventDescription> default_events(std::string_view microarchitecture);

// A note on the native names chosen for this microarchitecture (how sure they are).
std::string default_events_note(std::string_view microarchitecture);

// The meaning of any event this file knows; empty for others.
std::string meaning_of(std::string_view event_name);

// kCtxSwitches or kMigrations for one of their accepted spellings (PAPI's perf::
// names included), else empty.
std::string_view software_event_alias(std::string_view name);

}  // namespace rcbench::perf
