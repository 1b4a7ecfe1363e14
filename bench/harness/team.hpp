// The shared state of one run of one refcount benchmark: the strategy's domain,
// the objects laid out as the workload asks, the handoff rings, the probes and
// each thread's outcome. Made fresh for every run by thread 0 (so no counter line
// is left warm in some third core's cache), objects first-touched by their owner.
#pragma once

#include "aligned_buffer.hpp"
#include "probe.hpp"
#include "spec.hpp"
#include "spsc_ring.hpp"

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
  Clock::time_point begin{}, end{};      // this thread's timed region
  int pu_before = -1, pu_after = -1;     // where it ran, read at the region's edges
  std::uint64_t protocol_errors = 0;     // a "last" where the workload still held a reference, ...
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

// The handoff workload's per-producer pool. Objects are created in place, handed
// to the next thread, come back, and are destroyed when the strategy says the last
// reference went (or reconciliation finds zero); only then is the slot reused.
enum class SlotState : std::uint8_t { free, live, awaiting_drop };

struct HandoffPool {
  AlignedBuffer storage;
  std::size_t stride = 0;
  std::vector<SlotState> state;
  std::size_t next = 0;
};

inline constexpr std::size_t kHandoffPool = 1024;   // objects per producer
inline constexpr std::size_t kHandoffRing = 256;    // in flight between two threads
inline constexpr std::size_t kMaxHandoffBatch = 64;  // objects handed over per iteration, extra ops included

}  // namespace rcbench::harness
