// Choosing events: every requested event is reported, countable or not, with a
// reason; unknown names and bad input are errors; the run JSON carries it all.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "perf/default_events.hpp"
#include "perf/event_selection.hpp"
#include "perf/machine_facts.hpp"
#include "perf/os_thread_counters.hpp"
#include "perf/papi_backend.hpp"
#include "perf/thread_counters.hpp"

namespace rcbench::perf {
namespace {

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

const EventStatus* find(const EventSelection& sel, const std::string& name) {
  for (const EventStatus& st : sel.statuses())
    if (st.name == name) return &st;
  return nullptr;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Only a working PAPI can tell a name nobody knows from an event it cannot count.
bool papi_knows_names() {
  return Papi::kBuiltIn && Papi::library().usable && Papi::library().cpu_component_enabled;
}

// A reason must name the PAPI error (or the missing PAPI) and say what it means.
void expect_explained(const EventStatus& st) {
  EXPECT_FALSE(st.available) << st.name;
  const bool names_error = st.reason.rfind("PAPI_E", 0) == 0 ||
                           st.reason.find("built without PAPI") != std::string::npos ||
                           st.reason.rfind("PAPI", 0) == 0;
  EXPECT_TRUE(names_error) << st.name << ": " << st.reason;
  EXPECT_NE(st.reason.find(':'), std::string::npos) << st.name << ": no meaning in " << st.reason;
}

class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnvironment() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(EventSelection, DefaultsReportEveryDefaultEventAndCountTheSoftwarePair) {
  const EventSelection sel = EventSelection::defaults();
  for (const auto& e : default_events(microarchitecture_of(this_cpu())))
    EXPECT_NE(find(sel, e.name), nullptr) << e.name;
  for (const EventStatus& st : sel.statuses()) {
    EXPECT_EQ(st.available, st.reason.empty()) << st.name << ": " << st.reason;
    EXPECT_FALSE(st.source.empty()) << st.name;
    if (!st.available) expect_explained(st);
  }
  const auto counted = sel.counted();
  EXPECT_TRUE(contains(counted, "ctx_switches"));
  // Linux always has a source for migrations here: PAPI, or /proc/thread-self/sched.
  if (thread_migrations_from_proc()) {
    EXPECT_TRUE(contains(counted, "migrations"));
  }
  EXPECT_FALSE(sel.multiplexing().empty());
  EXPECT_EQ(sel.origin(), "defaults");
}

TEST(EventSelection, UnknownNameIsAnErrorNotAnUnavailableEvent) {
  if (!papi_knows_names()) {
    // Without PAPI nothing can know the name: it is reported uncountable, with why.
    const EventSelection sel = EventSelection::from_names({"NO_SUCH_EVENT_ANYWHERE"});
    ASSERT_NE(find(sel, "NO_SUCH_EVENT_ANYWHERE"), nullptr);
    expect_explained(*find(sel, "NO_SUCH_EVENT_ANYWHERE"));
    return;
  }
  const std::string message = error_of([] {
    EventSelection::from_names({"PAPI_L1_DCM", "NO_SUCH_EVENT_ANYWHERE"});
  });
  EXPECT_NE(message.find("unknown event 'NO_SUCH_EVENT_ANYWHERE'"), std::string::npos) << message;
  EXPECT_NE(message.find("papi_native_avail"), std::string::npos) << message;
}

TEST(EventSelection, EmptyListIsAnError) {
  EXPECT_NE(error_of([] { EventSelection::from_names({}); }).find("empty event list"),
            std::string::npos);
}

TEST(EventSelection, MalformedNameIsAnError) {
  EXPECT_NE(error_of([] { EventSelection::from_names({"PAPI L1 DCM"}); }).find("not an event name"),
            std::string::npos);
}

TEST(EventSelection, EventFileThatDoesNotParseIsAnErrorWithItsLine) {
  const std::string message =
      error_of([] { EventSelection::from_file(RCBENCH_PERF_TEST_DATA "/events_junk.txt"); });
  EXPECT_NE(message.find("events_junk.txt:3:"), std::string::npos) << message;
}

TEST(EventSelection, EventFileSelectsItsEventsOnce) {
  const EventSelection sel = EventSelection::from_file(RCBENCH_PERF_TEST_DATA "/events_ok.txt");
  ASSERT_EQ(sel.statuses().size(), 3u);  // perf::CPU-MIGRATIONS is `migrations`
  EXPECT_EQ(sel.statuses()[0].name, "PAPI_L1_DCM");
  EXPECT_EQ(sel.statuses()[1].name, "ctx_switches");
  EXPECT_EQ(sel.statuses()[2].name, "migrations");
  EXPECT_EQ(sel.origin().rfind("file ", 0), 0u);
}

TEST(EventSelection, SpellingsOfOneEventCollapse) {
  const EventSelection sel =
      EventSelection::from_names({"perf::CS", "ctx_switches", "PAPI_L1_DCM", "PAPI_L1_DCM"});
  EXPECT_EQ(sel.statuses().size(), 3u);  // + migrations, always
}

TEST(EventSelection, DefaultsKeywordAddsTheDefaults) {
  const EventSelection sel = EventSelection::from_names({"defaults"});
  EXPECT_EQ(sel.statuses().size(), EventSelection::defaults().statuses().size());
}

TEST(EventSelection, EnvironmentVariableChoosesTheEvents) {
  {
    ScopedEnvironment env("RCBENCH_EVENTS", "PAPI_L1_DCM, ctx_switches");
    const EventSelection sel = EventSelection::from_environment_or_defaults();
    EXPECT_EQ(sel.origin(), "RCBENCH_EVENTS");
    EXPECT_NE(find(sel, "PAPI_L1_DCM"), nullptr);
    EXPECT_EQ(sel.statuses().size(), 3u);
  }
  {
    ScopedEnvironment env("RCBENCH_EVENTS", "");
    EXPECT_NE(
        error_of([] { EventSelection::from_environment_or_defaults(); }).find("RCBENCH_EVENTS"),
        std::string::npos);
  }
  {
    ScopedEnvironment env("RCBENCH_EVENTS", nullptr);
    EXPECT_EQ(EventSelection::from_environment_or_defaults().origin(), "defaults");
  }
}

TEST(EventSelection, FlagBeatsEnvironmentAndBothFlagsIsAnError) {
  ScopedEnvironment env("RCBENCH_EVENTS", "PAPI_L2_DCM");
  const EventSelection sel = EventSelection::from_user_choice(std::string("PAPI_L1_DCM"), {});
  EXPECT_EQ(sel.origin(), "--events");
  EXPECT_EQ(find(sel, "PAPI_L2_DCM"), nullptr);
  EXPECT_NE(error_of([] {
              EventSelection::from_user_choice(std::string("PAPI_L1_DCM"),
                                               std::filesystem::path("x.txt"));
            }).find("both given"),
            std::string::npos);
}

TEST(EventSelection, OsOnlyPolicyCountsTheSoftwarePairThroughTheOs) {
  const EventSelection sel =
      EventSelection::from_names({"ctx_switches"}, SoftwareSourcePolicy::os_only);
  EXPECT_EQ(sel.ctx_switches_source(), SoftwareSource::getrusage);
  EXPECT_EQ(find(sel, "ctx_switches")->source, "getrusage");
  if (thread_migrations_from_proc()) {
    EXPECT_EQ(sel.migrations_source(), SoftwareSource::proc_sched);
    EXPECT_EQ(find(sel, "migrations")->source, "/proc/thread-self/sched");
  }
}

TEST(EventSelection, JsonCarriesEveryEventItsSourceAndReason) {
  const EventSelection sel = EventSelection::from_names({"defaults", "PAPI_L1_DCM"});
  const nlohmann::json j = nlohmann::json::parse(sel.to_json().dump());  // strictly valid
  ASSERT_EQ(j["events"].size(), sel.statuses().size());
  for (const auto& e : j["events"]) {
    EXPECT_TRUE(e["name"].is_string());
    EXPECT_EQ(e["available"].get<bool>(), e["reason"].get<std::string>().empty()) << e.dump();
    EXPECT_FALSE(e["source"].get<std::string>().empty()) << e.dump();
  }
  const auto& src = j["source"];
  EXPECT_EQ(src["ctx_switches"], source_name(sel.ctx_switches_source()));
  EXPECT_EQ(src["migrations"], source_name(sel.migrations_source()));
  EXPECT_EQ(src["papi_built_in"], papi_built_in());
  EXPECT_EQ(src["multiplexing"], sel.multiplexing());
  EXPECT_TRUE(src["virtual_machine"]["is_virtual"].is_boolean());
  EXPECT_EQ(j["counted"].get<std::vector<std::string>>(), sel.counted());
}

// The spec's "run with an unavailable hardware event": it completes, the reason is
// recorded, and no number is invented. Where the event *is* countable (a machine
// with a PMU), it must then really be counted.
TEST(UnavailableHardwareEvent, RunCompletesAndRecordsTheReason) {
  const EventSelection sel = EventSelection::from_names({"defaults", "PAPI_L1_DCM"});
  std::vector<char> buffer(16 << 20);
  ThreadCounters counters(sel);
  counters.start();
  for (std::size_t i = 0; i < buffer.size(); i += 64) buffer[i] = static_cast<char>(i);
  counters.stop();
  EXPECT_TRUE(counters.problem().empty()) << counters.problem();
  const auto values = counters.values();
  const auto value_of = [&](const std::string& name) -> const long long* {
    for (const auto& [n, v] : values)
      if (n == name) return &v;
    return nullptr;
  };
  ASSERT_NE(value_of("ctx_switches"), nullptr);
  for (const EventStatus& st : sel.statuses()) {
    if (st.name == "ctx_switches" || st.name == "migrations") continue;
    if (st.available) {
      EXPECT_NE(value_of(st.name), nullptr) << st.name << " countable but not counted";
    } else {
      expect_explained(st);
      EXPECT_EQ(value_of(st.name), nullptr) << st.name << " uncountable but has a value";
    }
  }
  const EventStatus* l1 = find(sel, "PAPI_L1_DCM");
  ASSERT_NE(l1, nullptr);
  if (l1->available) {
    // 16 MiB (512 x a 32 KiB L1) written a line at a time: L1 prefetchers do not cross
    // 4 KiB pages, so there are thousands of misses (4096 pages); 1000 leaves margin.
    EXPECT_GT(*value_of("PAPI_L1_DCM"), 1000) << "PAPI_L1_DCM counted (almost) nothing";
  }
}

}  // namespace
}  // namespace rcbench::perf
