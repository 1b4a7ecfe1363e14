// What the threads of one run of one benchmark share besides the team itself
// (refcount_team.hpp): each thread's outcome and the run's status. A team is made
// fresh for every run by thread 0 (so no counter line is left warm in some third
// core's cache), objects first-touched by their owner.
#pragma once

#include "aligned_buffer.hpp"
#include "probe.hpp"
#include "spec.hpp"

#include "counters/refcounter.hpp"

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
