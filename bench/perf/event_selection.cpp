#include "event_selection.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <stdexcept>

#include "default_events.hpp"
#include "event_list.hpp"
#include "os_thread_counters.hpp"
#include "papi_backend.hpp"
#include "source_probe.hpp"
#include "unavailable_reasons.hpp"

namespace rcbench::perf {

namespace {

struct Request {
  std::string name;
  bool from_defaults = false;  // an unknown default is reported; an unknown user name throws
};

std::vector<Request> default_requests() {
  std::vector<Request> out;
  for (auto& e : default_events(this_machine().microarchitecture))
    out.push_back({std::move(e.name), true});
  return out;
}

}  // namespace

struct SelectionBuilder {
  static EventSelection build(const std::vector<Request>& asked, SoftwareSourcePolicy policy,
                              std::string origin);

 private:
  static void choose_software_sources(EventSelection& sel, SoftwareSourcePolicy policy,
                                      std::vector<int>& papi_software_codes,
                                      std::vector<std::string>& papi_software_names);
};

void SelectionBuilder::choose_software_sources(EventSelection& sel, SoftwareSourcePolicy policy,
                                               std::vector<int>& codes,
                                               std::vector<std::string>& names) {
  const SoftwareProbe& probe = software_probe();
  const bool try_papi = policy == SoftwareSourcePolicy::automatic;
  auto& c = sel.counting_;
  if (try_papi && probe.papi_ctx_switches) {
    c.ctx_switches = SoftwareSource::papi;
    codes.push_back(probe.papi_ctx_switches_code);
    names.emplace_back(kCtxSwitches);
  } else {
    c.ctx_switches = SoftwareSource::getrusage;
    sel.notes_.push_back(
        std::string(kCtxSwitches) + " from getrusage(RUSAGE_THREAD): " +
        (try_papi ? probe.papi_ctx_switches_problem : std::string("PAPI not tried (os_only)")));
  }
  if (try_papi && probe.papi_migrations) {
    c.migrations = SoftwareSource::papi;
    codes.push_back(probe.papi_migrations_code);
    names.emplace_back(kMigrations);
  } else if (probe.proc_migrations) {
    c.migrations = SoftwareSource::proc_sched;
    sel.notes_.push_back(
        std::string(kMigrations) + " from /proc/thread-self/sched: " +
        (try_papi ? probe.papi_migrations_problem : std::string("PAPI not tried (os_only)")));
  } else {
    c.migrations = SoftwareSource::none;
  }
  sel.notes_.push_back(probe.notes);

  for (EventStatus& st : sel.statuses_) {
    if (st.name == kCtxSwitches) {
      st.available = true;
      st.source = source_name(c.ctx_switches);
    } else if (st.name == kMigrations) {
      st.available = c.migrations != SoftwareSource::none;
      st.source = st.available ? source_name(c.migrations) : "none";
      if (!st.available)
        st.reason = "no source counts migrations here: " + probe.papi_migrations_problem + "; " +
                    probe.proc_migrations_problem;
    }
  }
}

EventSelection SelectionBuilder::build(const std::vector<Request>& asked,
                                       SoftwareSourcePolicy policy, std::string origin) {
  const MachineContext& machine = this_machine();
  const Papi::Library& lib = Papi::library();
  EventSelection sel;
  sel.origin_ = std::move(origin);
  sel.microarchitecture_ = machine.microarchitecture;

  // One entry per event whatever its spelling; the software pair always.
  std::vector<Request> requests;
  std::set<std::string> seen;
  const auto add = [&](Request r) {
    const std::string_view alias = software_event_alias(r.name);
    if (!alias.empty()) r.name = std::string(alias);
    if (seen.insert(r.name).second) requests.push_back(std::move(r));
  };
  for (const Request& r : asked) add(r);
  add({std::string(kCtxSwitches), true});
  add({std::string(kMigrations), true});

  // PAPI names -> codes, on this thread (codes are process-wide).
  std::vector<std::size_t> candidate_index;  // into statuses_
  std::vector<int> candidate_codes;
  for (const Request& r : requests) {
    EventStatus st{r.name, false, "", "", meaning_of(r.name)};
    const bool software = r.name == kCtxSwitches || r.name == kMigrations;
    if (!software) {
      st.source = r.name.rfind("perf::", 0) == 0 ? "papi-software" : "papi";
      int code = 0;
      if (!lib.usable) {
        st.reason = lib.problem;
      } else if (!lib.cpu_component_enabled) {
        st.reason = "PAPI's perf_event component is disabled: " + lib.cpu_component_problem;
      } else if (const int rc = Papi::lookup(r.name, code); rc != 0) {
        if (!r.from_defaults)
          throw std::invalid_argument("unknown event '" + r.name +
                                      "': " + explain_unknown(rc, machine));
        st.reason = explain_unknown(rc, machine);
      } else if (Papi::preset_unmapped(code)) {
        st.reason = explain_unmapped_preset(machine);
      } else {
        candidate_index.push_back(sel.statuses_.size());
        candidate_codes.push_back(code);
      }
    }
    sel.statuses_.push_back(std::move(st));
  }

  std::vector<int> software_codes;
  std::vector<std::string> software_names;
  choose_software_sources(sel, policy, software_codes, software_names);

  const HardwareFit fit = probe_hardware(software_codes, candidate_codes);
  auto& c = sel.counting_;
  c.papi_codes = software_codes;
  c.papi_names = software_names;
  c.multiplex = fit.multiplexed;
  std::size_t misfits = 0, fitted = 0;
  for (std::size_t i = 0; i < candidate_codes.size(); ++i) {
    EventStatus& st = sel.statuses_[candidate_index[i]];
    if (fit.alone[i] != 0) {
      st.reason = explain_refusal(fit.alone[i], machine);
    } else if (fit.together[i] != 0) {
      st.reason = explain_misfit(fit.together[i], fit.multiplex_error);
      ++misfits;
    } else {
      st.available = true;
      ++fitted;
      c.papi_codes.push_back(candidate_codes[i]);
      c.papi_names.push_back(st.name);
    }
  }

  if (fit.multiplexed) {
    sel.multiplexing_ = "multiplexed: " + std::to_string(fitted) +
                        " PAPI events share the hardware counters (" +
                        std::to_string(lib.hardware_counters) +
                        " per thread); PAPI scales each count by the share of time it ran, "
                        "so hardware counts are estimates";
    if (misfits > 0)
      sel.multiplexing_ += "; " + std::to_string(misfits) +
                           " did not fit even so and were skipped (would need passes)";
  } else if (misfits > 0) {
    sel.multiplexing_ = "not possible: " + std::to_string(misfits) +
                        " events did not fit and were skipped (would need passes: name them "
                        "in a separate run)";
  } else {
    sel.multiplexing_ = fitted > 0 ? "none needed" : "none needed (no hardware events counted)";
  }
  return sel;
}

namespace {

EventSelection from_names_with_origin(const std::vector<std::string>& names,
                                      SoftwareSourcePolicy policy, std::string origin) {
  if (names.empty())
    throw std::invalid_argument(origin +
                                ": empty event list (name at least one event, or `defaults`)");
  std::vector<Request> requests;
  for (const std::string& name : names) {
    if (name == kDefaultsKeyword) {
      for (Request& r : default_requests()) requests.push_back(std::move(r));
      continue;
    }
    check_event_name_syntax(name, origin);
    requests.push_back({name, false});
  }
  return SelectionBuilder::build(requests, policy, std::move(origin));
}

}  // namespace

EventSelection EventSelection::defaults(SoftwareSourcePolicy policy) {
  return SelectionBuilder::build(default_requests(), policy, "defaults");
}

EventSelection EventSelection::from_names(const std::vector<std::string>& names,
                                          SoftwareSourcePolicy policy) {
  return from_names_with_origin(names, policy, "event names");
}

EventSelection EventSelection::from_file(const std::filesystem::path& file,
                                         SoftwareSourcePolicy policy) {
  return from_names_with_origin(read_event_file(file), policy, "file " + file.string());
}

EventSelection EventSelection::from_environment_or_defaults(SoftwareSourcePolicy policy) {
  const char* value = std::getenv(kEventsEnvironmentVariable);
  if (value == nullptr) return defaults(policy);
  return from_names_with_origin(parse_event_list(value, kEventsEnvironmentVariable), policy,
                                kEventsEnvironmentVariable);
}

EventSelection EventSelection::from_user_choice(
    const std::optional<std::string>& events_flag,
    const std::optional<std::filesystem::path>& events_file) {
  if (events_flag && events_file)
    throw std::invalid_argument("--events and --events-file both given: choose one");
  if (events_flag)
    return from_names_with_origin(parse_event_list(*events_flag, "--events"),
                                  SoftwareSourcePolicy::automatic, "--events");
  if (events_file) return from_file(*events_file);
  return from_environment_or_defaults();
}

std::vector<std::string> EventSelection::counted() const {
  std::vector<std::string> names = counting_.papi_names;
  if (counting_.ctx_switches != SoftwareSource::papi &&
      counting_.ctx_switches != SoftwareSource::none)
    names.emplace_back(kCtxSwitches);
  if (counting_.migrations != SoftwareSource::papi && counting_.migrations != SoftwareSource::none)
    names.emplace_back(kMigrations);
  return names;
}

const char* source_name(SoftwareSource s) {
  switch (s) {
    case SoftwareSource::papi:
      return "papi-software";
    case SoftwareSource::getrusage:
      return kGetrusageSource;
    case SoftwareSource::proc_sched:
      return kProcSchedSource;
    case SoftwareSource::none:
      break;
  }
  return "none";
}

bool papi_built_in() { return Papi::kBuiltIn; }

}  // namespace rcbench::perf
