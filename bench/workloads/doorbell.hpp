// A thread's doorbell: how a thread that waits with the GIL dropped sleeps until
// another thread hands it something, as CPython's queue.get() sleeps on a lock (a
// futex) rather than spinning. The waiter announces that it sleeps, checks again and
// sleeps; whoever hands it something rings the bell if it announced.
//
// Why the fences: the waiter stores `sleeping` and then reads the ring; the ringer
// writes the ring and then reads `sleeping`. With a seq_cst fence between the two
// accesses on both sides, at least one of them sees the other's write: either the
// waiter finds the item and does not sleep, or the ringer finds it asleep and wakes
// it. `word` changes on every ring, so a wake between the check and the wait is not
// lost (atomic::wait returns at once when the value is no longer the one it saw).
#pragma once

#include "harness/aligned_buffer.hpp"

#include <atomic>
#include <cstdint>

namespace rcbench::workloads {

class alignas(harness::kIsolation) Doorbell {
 public:
  // Sleeps until `ready()` returns true. `ready` may act (pop an item, push one), so
  // it is never called again once it has returned true.
  template <class Ready>
  void sleep_until(Ready&& ready) {
    for (;;) {
      if (ready()) return;
      const std::uint32_t seen = word_.load(std::memory_order_acquire);
      sleeping_.store(true, std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_seq_cst);
      const bool done = ready();
      if (!done) word_.wait(seen, std::memory_order_acquire);
      sleeping_.store(false, std::memory_order_relaxed);
      if (done) return;
    }
  }

  // After handing the owner of this bell something.
  void ring() {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (!sleeping_.load(std::memory_order_relaxed)) return;
    word_.fetch_add(1, std::memory_order_release);
    word_.notify_one();
  }

 private:
  std::atomic<std::uint32_t> word_{0};
  std::atomic<bool> sleeping_{false};
};

}  // namespace rcbench::workloads
