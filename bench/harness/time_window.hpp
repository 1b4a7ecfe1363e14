// The time window: every thread of a row leaves one barrier together and runs
// blocks until thread 0 says stop, so a contended row is contended for its whole
// window (a fixed block count per thread would let the first thread to finish
// leave the others running alone). Each thread counts its own blocks.
//
// Stopping. Thread 0 reads the clock and, once the window has passed, publishes
// `stop_at`, a block count every thread reads once per block. Threads that work
// independently stop at once (stop_at = 0). Threads that wait for each other
// inside a block (kCoupled: handoff) must all run the same number of blocks or one
// would wait for ever: in a ring of threads each is at most one block ahead of the
// one it consumes from, so no thread is more than n-1 blocks ahead of thread 0, and
// stop_at = thread 0's count + n is a count no thread has passed.
#pragma once

#include "aligned_buffer.hpp"
#include "cpu_relax.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>

namespace rcbench::harness {

using WindowClock = std::chrono::steady_clock;

struct alignas(kIsolation) WindowControl {
  std::atomic<std::uint64_t> stop_at{std::numeric_limits<std::uint64_t>::max()};
};

// Where a window starts: every thread spins until all have arrived, so they leave
// within a cache-line transfer of each other. A sleeping barrier (std::barrier) wakes
// its waiters one futex at a time, and on a virtual machine the host may take
// milliseconds to run an idle vCPU again: measured here, threads of a 2 ms window
// then did not overlap at all. Reusable: round r (1, 2, ...) waits for r * n arrivals.
class StartLine {
 public:
  explicit StartLine(std::size_t threads) : n_(threads) {}
  void wait(std::uint64_t round) {
    arrived_.fetch_add(1, std::memory_order_acq_rel);
    while (arrived_.load(std::memory_order_acquire) < round * n_) cpu_relax();
  }

 private:
  const std::uint64_t n_;
  alignas(kIsolation) std::atomic<std::uint64_t> arrived_{0};
};

// Thread 0's view of the deadline. A clock read costs about 20 ns under KVM, as much
// as a block of cheap ops, so the clock is read every `stride` blocks, the stride
// doubling while reads come less than kMinGap apart: a cheap block pays a countdown,
// a slow one (a GIL handoff) still stops within one block of the deadline.
class DeadlineWatch {
 public:
  static constexpr auto kMinGap = std::chrono::microseconds(20);
  static constexpr std::uint32_t kMaxStride = 1u << 16;

  DeadlineWatch(WindowClock::time_point start, WindowClock::duration window)
      : deadline_(start + window), last_(start) {}

  // When the window was found to have passed: its end.
  WindowClock::time_point stopped_at() const { return stopped_at_; }

  // Called when the caller's countdown of blocks reaches zero: reads the clock and
  // returns the next countdown, or 0 once the window has passed. The countdown is the
  // caller's local, so a block's bookkeeping stays in registers (no store per block
  // beside the ops' own).
  std::uint32_t check() {
    const auto now = WindowClock::now();
    if (now >= deadline_) {
      stopped_at_ = now;
      return 0;
    }
    if (now - last_ < kMinGap && stride_ < kMaxStride) stride_ *= 2;
    last_ = now;
    return stride_;
  }

 private:
  WindowClock::time_point deadline_, last_, stopped_at_{};
  std::uint32_t stride_ = 1;
};

// Runs `lane`'s blocks (safe point first, then the block) until stop_at. Thread 0
// passes its watch and sets stop_at; the others pass null. Returns the blocks run.
//
// flatten: every call in the window is inlined where it can be (the strategies'
// slow paths are noinline and stay out of line). Left to its heuristics, GCC stopped
// inlining biased's decref into the block once the translation unit held every
// strategy x workload: a call per op, and the owner's row read 5.7x its independent
// loop (bench/fidelity). What runs must be the strategy's code, not a call to it.
template <class Lane>
[[gnu::flatten]] std::uint64_t run_window(Lane& lane, WindowControl& ctl, DeadlineWatch* watch, bool coupled,
                         std::uint64_t threads) {
  std::uint64_t blocks = 0;
  std::uint32_t countdown = 1;  // blocks until thread 0 reads the clock again
  while (blocks < ctl.stop_at.load(std::memory_order_relaxed)) {
    lane.poll();
    lane.block();
    ++blocks;
    if (watch != nullptr && --countdown == 0) [[unlikely]] {
      countdown = watch->check();
      if (countdown == 0) {
        ctl.stop_at.store(coupled ? blocks + threads : 0, std::memory_order_relaxed);
        watch = nullptr;
      }
    }
  }
  return blocks;
}

}  // namespace rcbench::harness
