// What the threads of one run of one benchmark share besides the team itself
// (refcount_team.hpp): each thread's outcome and the run's status. A team is made
// fresh for every run by thread 0 (so no counter line is left warm in some third
// core's cache), objects first-touched by their owner.
#pragma once

#include "aligned_buffer.hpp"
#include "probe.hpp"
#include "spec.hpp"

#include "counters/refcounter.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rcbench::harness {

using Clock = std::chrono::steady_clock;

struct alignas(kIsolation) ThreadOutcome {
  std::uint64_t ops = 0;                 // counted ops (incref+decref pairs)
  Clock::time_point begin{}, end{};      // this thread's window
  Clock::time_point stop{};              // thread 0: when it stopped the window (else unset)
  std::int64_t cpu_ns = 0;               // this thread's CPU time in its window
  int pu_before = -1, pu_after = -1;     // where it ran, read at the region's edges
  std::uint64_t protocol_errors = 0;     // drops reported at a safe point while still held, ...
  std::vector<std::pair<std::string, long long>> perf;  // counters over the timed region
};

// How the window's ops were spread over the threads: whether every thread worked (a
// GIL may leave a thread waiting the whole window), and the fewest and most ops of any.
// A thread's ops run to the end of the block it was in at the stop; on rows of a GIL
// held across blocks they are exactly the window's (RefcountTeam::run_window).
struct ThreadSpread {
  std::size_t threads_worked = 0;  // threads with at least one op
  std::uint64_t min_ops = 0, max_ops = 0, total_ops = 0;
};
inline ThreadSpread thread_spread(const std::vector<ThreadOutcome>& outcomes) {
  ThreadSpread s;
  if (outcomes.empty()) return s;
  s.min_ops = outcomes.front().ops;
  for (const ThreadOutcome& o : outcomes) {
    if (o.ops != 0) ++s.threads_worked;
    s.min_ops = std::min(s.min_ops, o.ops);
    s.max_ops = std::max(s.max_ops, o.ops);
    s.total_ops += o.ops;
  }
  return s;
}

// A gil_cpython row's protocol counts over its window (ceval_gil.hpp's Stats).
struct GilWindowCounts {
  std::uint64_t switches = 0;       // the GIL changed holder (CPython's switch_number; the first take counts)
  std::uint64_t drop_requests = 0;  // a waiter waited a whole switch interval and asked the holder to drop
};

// What the run learned that the team shares: set by any thread, read after a barrier.
class TeamStatus {
 public:
  void fail(std::string why) {
    std::lock_guard lock(mu_);
    if (error_.empty()) error_ = std::move(why);
    failed_.store(true, std::memory_order_relaxed);
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  std::string error() const {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  mutable std::mutex mu_;
  std::string error_;
  std::atomic<bool> failed_{false};
};

}  // namespace rcbench::harness
