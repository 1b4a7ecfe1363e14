// One benchmark thread's counters over its timed region.
//
//   perf::ThreadCounters counters(selection);  // after pinning, outside the timed region
//   counters.start();                          // just before the timed region
//   ... timed loop (never read counters inside: a PAPI read costs ~1.2 us) ...
//   counters.stop();                           // just after
//   for (auto& [name, value] : counters.values()) ...
//
// Every call must come from the thread that constructed it, and a thread holds at
// most one at a time (PAPI runs one event set per thread). The selection must outlive
// it. Making one costs a few hundred microseconds when PAPI counts (perf_event_open
// per event; measured ~0.36 ms for two events on a 2-vCPU KVM guest) and nothing
// measurable otherwise; start() and stop() cost a few microseconds.
#pragma once

#include <pthread.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "event_selection.hpp"
#include "papi_backend.hpp"

namespace rcbench::perf {

class ThreadCounters {
 public:
  // Throws std::logic_error if this thread already holds ThreadCounters, and
  // std::runtime_error if PAPI refuses, on this thread, an event set that the
  // selection's probe could count (the counts would otherwise silently be partial).
  explicit ThreadCounters(const EventSelection& selection);
  ~ThreadCounters();  // PAPI_cleanup/destroy_eventset + PAPI_unregister_thread
  ThreadCounters(const ThreadCounters&) = delete;
  ThreadCounters& operator=(const ThreadCounters&) = delete;

  // Never throw: they run next to the timed region. A failure is kept in problem()
  // and the events it concerns are left out of values().
  void start() noexcept;
  void stop() noexcept;

  // Name -> count over start..stop for this thread, in selection.counted() order.
  // Includes "ctx_switches" (voluntary + involuntary) and "migrations" from whichever
  // source counts them. Empty before a completed start()/stop() pair.
  std::vector<std::pair<std::string, long long>> values() const;

  // This thread moved to another PU during the timed region: a pinned result is
  // then suspect. Empty when migrations cannot be counted here.
  std::optional<bool> migrated() const;

  // Empty when every selected event was counted.
  const std::string& problem() const { return problem_; }

 private:
  const EventSelection::Counting& counting_;
  pthread_t owner_;
  Papi::EventSet papi_;
  std::vector<long long> papi_values_;
  bool papi_counting_ = false;
  long long ctx_before_ = 0, ctx_after_ = 0;
  std::optional<long long> migrations_before_, migrations_after_;
  bool started_ = false, stopped_ = false;
  std::string problem_;
};

}  // namespace rcbench::perf
