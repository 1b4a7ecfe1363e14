// Per-thread counting with the software events that work in a virtual machine. Each
// behaviour is checked with both sources: PAPI's perf events where the probe found
// them working (automatic) and the OS fallback (os_only), so the fallback is tested
// even on a machine where PAPI works.
#include <gtest/gtest.h>
#include <sched.h>

#include <chrono>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "perf/event_selection.hpp"
#include "perf/thread_counters.hpp"

namespace rcbench::perf {
namespace {

std::vector<int> allowed_pus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> pus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return pus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) pus.push_back(cpu);
  return pus;
}

// Pins the calling thread (a std::thread made by the test, never the main thread).
bool pin_to(int pu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(pu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0 && sched_getcpu() == pu;
}

std::optional<long long> value_of(const std::vector<std::pair<std::string, long long>>& values,
                                  const std::string& name) {
  for (const auto& [n, v] : values)
    if (n == name) return v;
  return std::nullopt;
}

class ThreadCountersTest : public ::testing::TestWithParam<SoftwareSourcePolicy> {
 protected:
  EventSelection selection = EventSelection::from_names({"ctx_switches", "migrations"}, GetParam());

  void SetUp() override {
    if (selection.migrations_source() == SoftwareSource::none)
      GTEST_SKIP() << "no source counts migrations on this machine";
  }
};

TEST_P(ThreadCountersTest, PinnedBusyThreadShowsZeroMigrations) {
  std::vector<std::pair<std::string, long long>> values;
  std::optional<bool> migrated;
  bool pinned = false;
  std::thread worker([&] {
    pinned = pin_to(allowed_pus().front());
    ThreadCounters counters(selection);
    counters.start();
    // Busy for ~50 ms: a pinned thread cannot be moved, however long it runs.
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    volatile unsigned long spins = 0;
    while (std::chrono::steady_clock::now() < until) spins = spins + 1;
    counters.stop();
    values = counters.values();
    migrated = counters.migrated();
  });
  worker.join();
  ASSERT_TRUE(pinned);
  EXPECT_EQ(value_of(values, "migrations"), 0);
  EXPECT_EQ(migrated, false);
  EXPECT_TRUE(value_of(values, "ctx_switches").has_value());
}

// The counter above must be able to say anything but 0: move a thread on purpose.
TEST_P(ThreadCountersTest, ThreadMovedDuringTheRegionShowsItsMigration) {
  const auto pus = allowed_pus();
  if (pus.size() < 2) GTEST_SKIP() << "one PU allowed: nowhere to move a thread to";
  std::vector<std::pair<std::string, long long>> values;
  std::optional<bool> migrated;
  bool moved = false;
  std::thread worker([&] {
    if (!pin_to(pus[0])) return;
    ThreadCounters counters(selection);
    counters.start();
    moved = pin_to(pus[1]);
    counters.stop();
    values = counters.values();
    migrated = counters.migrated();
  });
  worker.join();
  ASSERT_TRUE(moved);
  EXPECT_GE(value_of(values, "migrations").value_or(-1), 1);
  EXPECT_EQ(migrated, true);
}

// A GIL-serialized run: two threads on one PU hand a token back and forth, each
// handover only possible after the holder stops running, so both are switched out.
TEST_P(ThreadCountersTest, GilSerializedThreadsOnOnePuShowContextSwitches) {
  constexpr int kHandovers = 200;
  const int pu = allowed_pus().front();
  std::mutex gil;
  std::condition_variable handed_over;
  int holder = 0;
  std::latch ready(2);
  long long switches[2] = {-1, -1};
  bool pinned[2] = {false, false};
  std::string problems[2];
  const auto run = [&](int me) {
    pinned[me] = pin_to(pu);
    ThreadCounters counters(selection);
    ready.arrive_and_wait();
    counters.start();
    for (int i = 0; i < kHandovers; ++i) {
      std::unique_lock lock(gil);
      handed_over.wait(lock, [&] { return holder == me; });
      holder = 1 - me;
      handed_over.notify_one();
    }
    counters.stop();
    switches[me] = value_of(counters.values(), "ctx_switches").value_or(-1);
    problems[me] = counters.problem();
  };
  std::thread a(run, 0), b(run, 1);
  a.join();
  b.join();
  ASSERT_TRUE(pinned[0] && pinned[1]);
  EXPECT_TRUE(problems[0].empty() && problems[1].empty()) << problems[0] << problems[1];
  EXPECT_GT(switches[0], 0);
  EXPECT_GT(switches[1], 0);
  // Every handover needs the giver off the only PU: at least one switch per handover.
  EXPECT_GE(switches[0] + switches[1], kHandovers);
}

TEST_P(ThreadCountersTest, ManyShortLivedThreadsEachCount) {
  // Google Benchmark makes new threads for every run: counters must come and go.
  for (int i = 0; i < 50; ++i) {
    std::optional<long long> ctx;
    std::thread worker([&] {
      ThreadCounters counters(selection);
      counters.start();
      counters.stop();
      ctx = value_of(counters.values(), "ctx_switches");
    });
    worker.join();
    ASSERT_TRUE(ctx.has_value()) << "thread " << i;
    EXPECT_GE(*ctx, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Sources, ThreadCountersTest,
                         ::testing::Values(SoftwareSourcePolicy::automatic,
                                           SoftwareSourcePolicy::os_only),
                         [](const ::testing::TestParamInfo<SoftwareSourcePolicy>& param) {
                           return param.param == SoftwareSourcePolicy::automatic ? "automatic"
                                                                                 : "os_only";
                         });

TEST(ThreadCounters, ValuesNamesFollowCountedOrder) {
  const EventSelection sel = EventSelection::from_names({"ctx_switches", "migrations"});
  ThreadCounters counters(sel);
  EXPECT_TRUE(counters.values().empty()) << "values before stop()";
  counters.start();
  counters.stop();
  std::vector<std::string> names;
  for (const auto& [name, value] : counters.values()) names.push_back(name);
  EXPECT_EQ(names, sel.counted());
}

TEST(ThreadCounters, SecondCountersOnOneThreadIsALogicError) {
  const EventSelection sel = EventSelection::from_names({"ctx_switches"});
  std::thread worker([&] {
    ThreadCounters first(sel);
    EXPECT_THROW(ThreadCounters second(sel), std::logic_error);
  });
  worker.join();
  std::thread again([&] { EXPECT_NO_THROW(ThreadCounters after_first_is_gone(sel)); });
  again.join();
}

TEST(ThreadCounters, StartFromAnotherThreadIsRecordedNotCounted) {
  const EventSelection sel = EventSelection::from_names({"ctx_switches"});
  ThreadCounters counters(sel);
  std::thread other([&] { counters.start(); });
  other.join();
  EXPECT_FALSE(counters.problem().empty());
}

}  // namespace
}  // namespace rcbench::perf
