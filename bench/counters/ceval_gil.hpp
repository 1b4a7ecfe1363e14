// CPython's GIL (Python/ceval_gil.c, take_gil/drop_gil with FORCE_SWITCHING), as
// a lock that a thread holds across many operations.
//
// The holder keeps the GIL until asked. A thread that wants it blocks on a
// condition variable for at most one switch interval; if the interval passes, the
// GIL is still locked and no switch happened meanwhile, it sets `drop_request`
// (CPython's gil_drop_request, seen through the eval breaker) and waits again.
// A waiter never spins: between wake-ups it sleeps in the kernel, so the holder
// keeps its CPU. The holder checks the request at its safe points (one relaxed
// load: drop_requested()) and drops the GIL; every drop wakes one waiter.
// Forced switching: a holder that dropped while a request was pending then waits
// until another thread has actually taken the GIL before it may ask for it again;
// otherwise, on a multi-core machine, it would usually win the race to re-take
// it and the waiter would starve for interval after interval.
//
// Differences from CPython, each deliberate: the forced-switching wait re-checks
// its condition after spurious wakeups (CPython waits once, so a spurious wakeup
// can end it early); holders are identified by a number rather than a
// PyThreadState pointer; and the counters in Stats exist so that tests can check
// the protocol by counting events, not by timing them (they are relaxed atomics
// touched only on the slow paths, never by drop_requested()).
#pragma once

#include "layout.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace rcbench::counters {

class CpythonGil {
 public:
  using HolderId = std::uint64_t;  // any nonzero value unique to a thread
  static constexpr HolderId kNobody = 0;

  struct Stats {
    std::uint64_t takes = 0;            // take() returned (the GIL was acquired)
    std::uint64_t contended_takes = 0;  // ... after finding it locked and blocking
    std::uint64_t drops = 0;            // drop() released it
    std::uint64_t switches = 0;         // the GIL changed hands (CPython's switch_number)
    std::uint64_t timeouts = 0;         // a waiter's interval passed while the GIL was held
    std::uint64_t drop_requests = 0;    // a waiter set drop_request
    std::uint64_t forced_handovers = 0; // a dropper waited until another thread took it
    std::uint64_t yields = 0;           // a holder honoured a request (yield_on_request)
  };

  explicit CpythonGil(std::chrono::microseconds interval) : interval_(interval) {}
  CpythonGil(const CpythonGil&) = delete;
  CpythonGil& operator=(const CpythonGil&) = delete;

  // take_gil: blocks (never spins) until the GIL is free, asking the holder to
  // drop it after each whole interval in which it kept it.
  void take(HolderId me) {
    std::unique_lock lock(mutex_);
    if (locked_) contended_takes_.fetch_add(1, std::memory_order_relaxed);
    while (locked_) {
      const std::uint64_t saved_switch_number = switch_number_;
      const bool timed_out = cond_.wait_for(lock, interval_) == std::cv_status::timeout;
      if (!timed_out || !locked_) continue;
      timeouts_.fetch_add(1, std::memory_order_relaxed);
      // Ask only if a whole interval passed with the same holder.
      if (switch_number_ == saved_switch_number) {
        drop_requests_.fetch_add(1, std::memory_order_relaxed);
        drop_request_.store(true, std::memory_order_relaxed);
      }
    }
    {
      // switch_mutex_ guards last_holder_, which a forced-switching dropper waits on.
      const std::lock_guard switch_lock(switch_mutex_);
      locked_ = true;
      if (last_holder_ != me) {
        last_holder_ = me;
        ++switch_number_;
      }
      switch_cond_.notify_all();
    }
    // Any request was aimed at the previous holder; a waiter still waiting asks
    // again after a whole interval of ours. Reset under mutex_, as CPython does:
    // a waiter sets the request only under mutex_, so none can be lost here (a
    // request set by a waiter that timed out while we re-took the GIL without a
    // switch would be wiped if this ran after unlocking).
    if (drop_request_.load(std::memory_order_relaxed)) drop_request_.store(false, std::memory_order_relaxed);
    takes_.fetch_add(1, std::memory_order_relaxed);
  }

  // drop_gil. `final` when the thread stops running ops (detach): it will not
  // re-take the GIL, so it does not wait for a handover either.
  void drop(HolderId me, bool final) {
    drops_.fetch_add(1, std::memory_order_relaxed);
    {
      const std::lock_guard lock(mutex_);
      locked_ = false;
      // Signalled with mutex_ held, as CPython's COND_SIGNAL: one waiter wakes.
      cond_.notify_one();
    }
    if (final || !drop_request_.load(std::memory_order_relaxed)) return;
    std::unique_lock switch_lock(switch_mutex_);
    if (last_holder_ == me) {
      drop_request_.store(false, std::memory_order_relaxed);
      forced_handovers_.fetch_add(1, std::memory_order_relaxed);
      switch_cond_.wait(switch_lock, [&] { return last_holder_ != me; });
    }
  }

  // What the holder does when its eval breaker check finds a request
  // (_Py_HandlePending): drop the GIL, which with forced switching returns only
  // once another thread has it, then queue up to take it back.
  void yield_on_request(HolderId me) {
    yields_.fetch_add(1, std::memory_order_relaxed);
    drop(me, /*final=*/false);
    take(me);
  }

  // The eval breaker check: one relaxed load, on the holder's hot path.
  bool drop_requested() const noexcept { return drop_request_.load(std::memory_order_relaxed); }

  bool locked() {
    const std::lock_guard lock(mutex_);
    return locked_;
  }

  Stats stats() {
    Stats s;
    {
      const std::lock_guard lock(mutex_);
      s.switches = switch_number_;
    }
    s.takes = takes_.load(std::memory_order_relaxed);
    s.contended_takes = contended_takes_.load(std::memory_order_relaxed);
    s.drops = drops_.load(std::memory_order_relaxed);
    s.timeouts = timeouts_.load(std::memory_order_relaxed);
    s.drop_requests = drop_requests_.load(std::memory_order_relaxed);
    s.forced_handovers = forced_handovers_.load(std::memory_order_relaxed);
    s.yields = yields_.load(std::memory_order_relaxed);
    return s;
  }

 private:
  const std::chrono::microseconds interval_;
  std::mutex mutex_;
  std::condition_variable cond_;
  bool locked_ = false;                // mutex_ (switch_mutex_ too when set)
  std::uint64_t switch_number_ = 0;    // mutex_
  std::mutex switch_mutex_;
  std::condition_variable switch_cond_;
  HolderId last_holder_ = kNobody;     // switch_mutex_ (written with mutex_ held too)
  // The holder loads this at every poll; on its own line so that waiters locking
  // mutex_ or bumping the statistics do not take the line away from it.
  alignas(kFalseSharingRange) std::atomic<bool> drop_request_{false};
  alignas(kFalseSharingRange) std::atomic<std::uint64_t> takes_{0};
  std::atomic<std::uint64_t> contended_takes_{0};
  std::atomic<std::uint64_t> drops_{0};
  std::atomic<std::uint64_t> timeouts_{0};
  std::atomic<std::uint64_t> drop_requests_{0};
  std::atomic<std::uint64_t> forced_handovers_{0};
  std::atomic<std::uint64_t> yields_{0};
};

}  // namespace rcbench::counters
