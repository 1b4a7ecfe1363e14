#include "default_events.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace rcbench::perf {

namespace {

struct Entry {
  std::string_view name;
  std::string_view meaning;
};

// AMD Zen 3 (libpfm4 PMU amd64_fam19h_zen3). Fills are counted at the L1 data cache
// by where the line came from: the sources separate the placement classes.
constexpr std::array kZen3 = {
    Entry{"ANY_DATA_CACHE_FILLS_FROM_SYSTEM:INT_CACHE",
          "L1D fills from the L3 or another core's L2 in the same CCX: a count that "
          "another core of the CCX wrote moved here (placement l3)"},
    Entry{"ANY_DATA_CACHE_FILLS_FROM_SYSTEM:EXT_CACHE_LCL",
          "L1D fills from a cache in another CCX of the same NUMA node: the line crossed "
          "the Infinity Fabric (placements numa/package across CCXs)"},
    Entry{"ANY_DATA_CACHE_FILLS_FROM_SYSTEM:EXT_CACHE_RMT",
          "L1D fills from a CCX cache in another NUMA node or socket: the most expensive "
          "transfer of a shared count"},
    Entry{"ANY_DATA_CACHE_FILLS_FROM_SYSTEM:MEM_IO_LCL:MEM_IO_RMT",
          "L1D fills from DRAM (either node): the line was in no cache; first touches, "
          "not a hot count"},
    Entry{"REQUESTS_TO_L2_GROUP1:CHANGE_TO_X",
          "requests to make a shared line writable (shared -> exclusive): a core that "
          "read the count now writes it; every write to a line others read pays this"},
    Entry{"RETIRED_LOCK_INSTRUCTIONS",
          "lock-prefixed instructions retired: atomic increments, decrements and CAS "
          "(about 2 per op for `atomic`, 0 for `plain`)"},
};

// AMD Zen 4 (amd64_fam19h_zen4); the same event with the sources renamed.
constexpr std::array kZen4 = {
    Entry{"ANY_DATA_CACHE_FILLS_FROM_SYSTEM:LOCAL_CCX",
          "L1D fills from the L3 or another core's L2 in the same CCX: a count that "
          "another core of the CCX wrote moved here (placement l3)"},
    Entry{"ANY_DATA_CACHE_FILLS_FROM_SYSTEM:NEAR_CACHE_NEAR_FAR",
          "L1D fills from a cache in another CCX of the same NUMA node: the line crossed "
          "the Infinity Fabric (placements numa/package across CCXs)"},
    Entry{"ANY_DATA_CACHE_FILLS_FROM_SYSTEM:FAR_CACHE_NEAR_FAR",
          "L1D fills from a CCX cache in another NUMA node or socket: the most expensive "
          "transfer of a shared count"},
    Entry{"ANY_DATA_CACHE_FILLS_FROM_SYSTEM:DRAM_IO_NEAR:DRAM_IO_FAR",
          "L1D fills from DRAM (either node): the line was in no cache; first touches, "
          "not a hot count"},
    Entry{"REQUESTS_TO_L2_GROUP1:CHANGE_TO_X",
          "requests to make a shared line writable (shared -> exclusive): a core that "
          "read the count now writes it; every write to a line others read pays this"},
    Entry{"RETIRED_LOCK_INSTRUCTIONS",
          "lock-prefixed instructions retired: atomic increments, decrements and CAS "
          "(about 2 per op for `atomic`, 0 for `plain`)"},
};

constexpr std::array kIntel = {
    Entry{"MEM_LOAD_L3_HIT_RETIRED:XSNP_HITM",
          "loads that hit the L3 and found the line modified in another core's cache "
          "(HITM): the signature of a contended or falsely shared count (before Ice Lake)"},
    Entry{"MEM_LOAD_L3_HIT_RETIRED:XSNP_FWD",
          "loads that hit the L3 and got the line forwarded from another core's cache "
          "(includes HITM): the same signal on Ice Lake / Sapphire Rapids and later"},
    Entry{"MEM_LOAD_L3_MISS_RETIRED:REMOTE_HITM",
          "loads served modified from a cache on another socket: cross-socket "
          "ping-pong of a count (placement machine)"},
    Entry{"MACHINE_CLEARS:MEMORY_ORDERING",
          "pipeline flushes because another core wrote a line a speculative load had "
          "already read: frequent when threads read and write the same line"},
};

// Arm Neoverse N1, V1, N2, V2: the names of libpfm4's arm_neoverse_n1/v1/n2/v2 tables
// (lib/events/arm_neoverse_{n1,v1,n2,v2}_events.h, from each core's TRM and Arm's
// ARM-software/data PMU JSON); all six are Armv8 PMUv3 common events present in all four
// tables. Arm cores have no event for "line came modified from another core", so the
// coherence traffic shows as refills at each level and as data moved on the bus.
constexpr std::array kNeoverse = {
    Entry{"L1D_CACHE_REFILL",
          "L1D refills: each time another core's write took the count's line away and this "
          "core fetched it back shows here (also first touches)"},
    Entry{"L2D_CACHE_REFILL",
          "L2 refills: the line was not in this core's private L2 either (another core, the "
          "shared L3/system cache, or DRAM supplied it)"},
    Entry{"L1D_CACHE_REFILL_OUTER",
          "L1D refills served from outside the core's cluster (not its L2, L3 or another core "
          "of the cluster): the line crossed the mesh interconnect"},
    Entry{"LL_CACHE_MISS_RD",
          "reads that missed the last-level cache (the mesh's system cache, or the core's own "
          "last level: see the note): the line came from DRAM or another chip"},
    Entry{"BUS_ACCESS",
          "beats of data moved between the core and the interconnect, both directions and "
          "snoop responses: the traffic a contended count causes beyond the core"},
    Entry{"REMOTE_ACCESS",
          "accesses to memory or caches of another socket: cross-socket ping-pong of a count "
          "(placement machine); 0 on a one-socket machine"},
    Entry{"STREX_FAIL_SPEC",
          "store-exclusives that failed (speculatively executed): an LL/SC atomic (atomics "
          "mode llsc, or outline atomics on a CPU without LSE) lost its line to another core "
          "and retried; 0 in an LSE build, whose ldadd/cas have no retry loop"},
};

constexpr std::array kPresets = {
    Entry{"PAPI_L1_DCM", "L1 data-cache misses: each transfer of a contended line shows here"},
    Entry{"PAPI_L2_DCM", "L2 data-cache misses: the line was not in this core's L2 either"},
    Entry{"PAPI_L3_TCM", "L3 misses: the line came from another L3, another socket or DRAM"},
    Entry{"PAPI_CA_SNP", "snoop requests: coherence traffic this core caused"},
    Entry{"PAPI_CA_ITV",
          "cache interventions: another cache supplied the line (cache-to-cache transfer)"},
};

constexpr std::array kSoftware = {
    Entry{kCtxSwitches,
          "times the thread was switched out, voluntary + involuntary: a GIL-serialized "
          "run shows its handovers here (the waiter sleeps); a busy pinned thread few"},
    Entry{kMigrations,
          "times the thread moved to another PU: a pinned thread must show 0; more makes "
          "the row suspect (the pin did not hold)"},
};

template <std::size_t N>
void append(std::vector<EventDescription>& out, const std::array<Entry, N>& entries) {
  for (const Entry& e : entries) out.push_back({std::string(e.name), std::string(e.meaning)});
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::vector<EventDescription> default_events(std::string_view microarchitecture) {
  std::vector<EventDescription> out;
  if (microarchitecture == "amd-zen3") append(out, kZen3);
  // Zen 5 keeps Zen 4's event numbers and fill sources (AMD PPR for family 1Ah).
  if (microarchitecture == "amd-zen4" || microarchitecture == "amd-zen5") append(out, kZen4);
  if (microarchitecture == "intel") append(out, kIntel);
  if (microarchitecture == "arm-neoverse-n1" || microarchitecture == "arm-neoverse-v1" ||
      microarchitecture == "arm-neoverse-n2" || microarchitecture == "arm-neoverse-v2")
    append(out, kNeoverse);
  append(out, kPresets);
  append(out, kSoftware);
  return out;
}

std::string default_events_note(std::string_view microarchitecture) {
  if (microarchitecture == "amd-zen4")
    return "Zen 4 native names from libpfm4's amd64_fam19h_zen4 table (PAPI 7.0.0 has no "
           "Zen 4 presets)";
  if (microarchitecture == "amd-zen3")
    return "Zen 3 native names from libpfm4's amd64_fam19h_zen3 table";
  if (microarchitecture == "amd-zen5")
    return "Zen 5 uses Zen 4's names; a libpfm4 without a Zen 5 table reports them unknown";
  if (microarchitecture == "intel")
    return "XSNP_HITM exists before Ice Lake, XSNP_FWD from Ice Lake on, REMOTE_HITM on "
           "multi-socket parts: whichever this PMU lacks is reported unknown";
  if (microarchitecture.starts_with("arm-neoverse-"))
    return "Arm PMUv3 common event names from libpfm4's arm_neoverse_n1/v1/n2/v2 tables; what "
           "LL_CACHE_MISS_RD calls the last level depends on the system (the interconnect's "
           "system cache where firmware enables that report, else the core's own last level), "
           "REMOTE_ACCESS counts only on multi-socket systems; a libpfm4 without this core's "
           "table reports them unknown";
  return "no native defaults for this microarchitecture: presets and software events "
         "only; name native events with --events";
}

std::string meaning_of(std::string_view event_name) {
  const std::string_view canonical = software_event_alias(event_name);
  const std::string_view name = canonical.empty() ? event_name : canonical;
  std::string found;
  const auto look_in = [&](const auto& entries) {
    for (const Entry& e : entries)
      if (found.empty() && e.name == name) found = e.meaning;
  };
  look_in(kZen3);
  look_in(kZen4);
  look_in(kIntel);
  look_in(kNeoverse);
  look_in(kPresets);
  look_in(kSoftware);
  return found;
}

std::string_view software_event_alias(std::string_view name) {
  static constexpr std::array<std::string_view, 4> kCtxNames = {
      kCtxSwitches, "perf::CONTEXT-SWITCHES", "perf::CS", "perf::PERF_COUNT_SW_CONTEXT_SWITCHES"};
  static constexpr std::array<std::string_view, 4> kMigrationNames = {
      kMigrations, "perf::CPU-MIGRATIONS", "perf::MIGRATIONS",
      "perf::PERF_COUNT_SW_CPU_MIGRATIONS"};
  for (std::string_view n : kCtxNames)
    if (equal_ignoring_case(n, name)) return kCtxSwitches;
  for (std::string_view n : kMigrationNames)
    if (equal_ignoring_case(n, name)) return kMigrations;
  return {};
}

}  // namespace rcbench::perf
