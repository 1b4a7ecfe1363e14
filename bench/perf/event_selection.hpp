// Which events a run counts, decided once per process before any benchmark runs.
//
// Every requested event ends up in statuses(), countable or not, with the source that
// counts it and, when it cannot be counted, the PAPI error and what it means on this
// machine (a virtual machine usually exposes no hardware events: that is a reported
// outcome, never an invented number). Context switches and migrations are always
// counted: through PAPI's perf software events when they work (kernel-side events
// need PAPI_DOM_ALL and root or perf_event_paranoid <= 1, checked by a probe that
// sleeps and migrates a helper thread), otherwise through getrusage(RUSAGE_THREAD)
// and /proc/thread-self/sched.
//
// An unknown name (no component on this machine knows it) is an error when the user
// named it, and a reported "unknown here" when it came from the defaults: the default
// tables name events of several CPU generations.
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::perf {

struct EventStatus {
  std::string name;  // as requested; ctx_switches / migrations for the software pair
  bool available = false;
  std::string source;   // "papi", "papi-software", "getrusage", "/proc/thread-self/sched"
  std::string reason;   // empty when available; else the PAPI error + what it means
  std::string meaning;  // what a count says about coherence (empty if not a known event)
};

// Where context switches and migrations may come from. `os_only` skips PAPI for them
// (tests use it to run the fallback path on a machine where PAPI works).
enum class SoftwareSourcePolicy { automatic, os_only };

enum class SoftwareSource { none, papi, getrusage, proc_sched };
// "papi-software", "getrusage", "/proc/thread-self/sched" or "none".
const char* source_name(SoftwareSource source);

struct EventSelection {
  static EventSelection defaults(SoftwareSourcePolicy policy = SoftwareSourcePolicy::automatic);
  // Throws std::invalid_argument for an empty list, a malformed name, or a name that
  // no PAPI component knows. `defaults` in the list adds the default events.
  static EventSelection from_names(const std::vector<std::string>& names,
                                   SoftwareSourcePolicy policy = SoftwareSourcePolicy::automatic);
  // One event per line, '#' comments; throws std::invalid_argument with the line number.
  static EventSelection from_file(const std::filesystem::path& file,
                                  SoftwareSourcePolicy policy = SoftwareSourcePolicy::automatic);
  // RCBENCH_EVENTS="a,b,c" when set (an empty value is an error), else defaults().
  static EventSelection from_environment_or_defaults(
      SoftwareSourcePolicy policy = SoftwareSourcePolicy::automatic);
  // The precedence every command uses: --events, then --events-file, then
  // RCBENCH_EVENTS, then the defaults. Giving both flags is an error.
  static EventSelection from_user_choice(const std::optional<std::string>& events_flag,
                                         const std::optional<std::filesystem::path>& events_file);

  const std::vector<EventStatus>& statuses() const { return statuses_; }
  // Names that will be counted, in the order values() reports them.
  std::vector<std::string> counted() const;
  // "none needed" | "multiplexed: ..." | "not possible: ..." (see the .cpp).
  const std::string& multiplexing() const { return multiplexing_; }
  // "defaults", "--events", "RCBENCH_EVENTS", "file <path>", "event names".
  const std::string& origin() const { return origin_; }
  SoftwareSource ctx_switches_source() const { return counting_.ctx_switches; }
  SoftwareSource migrations_source() const { return counting_.migrations; }
  // For the run JSON "perf" object: { "source": {...}, "events": [...] } (docs/events.md).
  nlohmann::json to_json() const;

  // What ThreadCounters needs, resolved once here so that making a thread's counters
  // only adds known codes.
  struct Counting {
    std::vector<int> papi_codes;          // in event-set order
    std::vector<std::string> papi_names;  // output name for each code
    bool multiplex = false;
    SoftwareSource ctx_switches = SoftwareSource::none;
    SoftwareSource migrations = SoftwareSource::none;
  };
  const Counting& counting() const { return counting_; }

 private:
  friend struct SelectionBuilder;
  std::vector<EventStatus> statuses_;
  Counting counting_;
  std::string multiplexing_;
  std::string origin_;
  std::string microarchitecture_;
  std::vector<std::string> notes_;  // how the sources were chosen, in words
};

bool papi_built_in();

}  // namespace rcbench::perf
