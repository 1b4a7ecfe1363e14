// The one concept every reference-counting strategy satisfies.
//
// A strategy S is a small type with three nested types:
//   S::Domain  state shared by every object of one run: the GIL's lock, biased
//              counting's per-thread merge queues, the number of threads. Made once
//              per benchmark run from a DomainConfig.
//   S::Thread  a thread's handle into the domain (its index, owner id, pointer to its
//              padded slot). Obtained with domain.attach(index) *outside* the timed
//              region, so the hot path never consults a thread_local.
//   S::Object  one reference-counted object. Constructed by a thread, which holds the
//              first reference (count 1) and, where the strategy has owners, owns it.
//
// The operations, all noexcept and allocation-free on the fast path:
//   obj.incref(thread)            take a reference
//   obj.decref(thread) -> Drop    drop one; says honestly whether that was the last
//   domain.poll(thread, dropped)  the thread's safe point (CPython's eval breaker):
//                                 biased merges its queue, the CPython-model GIL drops
//                                 the lock when asked. `dropped(Object&)` is called for
//                                 every object whose last reference went away here.
//   domain.detach(thread)         the thread stops running ops (releases a held GIL,
//                                 gives up biased ownership as a dying thread does).
//   obj.read_exact_quiescent()    the true count; may fold buffered deltas and sum
//                                 per-thread slots, so it is slow and must not race
//                                 with ops on this object (the name says both).
//
// When a thread may run ops: only after it passed poll() (or after_blocking()) since
// attach() and since its last before_blocking(). Call poll() *before* each block of
// ops, not after it. The CPython-model GIL relies on this: poll() is where a thread
// takes the GIL, and incref/decref check nothing (Py_INCREF has no ownership check
// either), so an op outside that window is an undetected data race. Strategies
// without a GIL do not care, but code written generically must keep the rule.
//
// Optional extensions (not required by the concept, so test doubles such as the
// harness's NullStrategy stay valid; read them through the helpers below):
//   S::last_reference             how the end of an object's life becomes known
//                                 (LastReference; default `reported`).
//   domain.detach(thread, dropped)  detach that reports the objects whose last
//                                 reference went away in its final merge (biased).
//   domain.before_blocking(thread)  the thread is about to wait for another thread
//                                 (CPython's Py_BEGIN_ALLOW_THREADS: the GIL drops).
//                                 No ops until after_blocking() or poll().
//   domain.after_blocking(thread)   the wait is over (Py_END_ALLOW_THREADS: the GIL is
//                                 taken back, blocking while another thread has it).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rcbench::counters {

// What a decrement knows. A deferred counter cannot know, and says so, rather
// than returning a magic number (folly's TLRefCount returns 42; we do not).
enum class Drop : std::uint8_t {
  kept,     // references remain
  last,     // this decrement released the last reference: the caller frees the object
  unknown,  // the count is buffered; only reconciliation (read_exact_quiescent) can tell
};

// How an object's last reference going away becomes known to the program.
enum class LastReference : std::uint8_t {
  reported,           // exactly once: decref returns `last`, or poll()/detach() call `dropped`
  by_reconciliation,  // decref returns `unknown`; read_exact_quiescent() == 0 tells (deferred)
  never,              // immortal objects: decref returns `kept` and the count never moves
};

struct DomainConfig {
  std::size_t max_threads = 1;            // attach() indices are 0..max_threads-1
  std::uint32_t flush_threshold = 64;     // deferred: |buffered delta| that forces a fold
  std::uint32_t switch_interval_us = 5000;// CPython-model GIL: sys.getswitchinterval()
};

template <class S>
concept RefCountStrategy =
    requires {
      typename S::Domain;
      typename S::Thread;
      typename S::Object;
      { S::name } -> std::convertible_to<std::string_view>;
      // True when concurrent ops from several threads keep the count exact.
      { S::race_free } -> std::convertible_to<bool>;
    } &&
    std::constructible_from<typename S::Domain, DomainConfig> &&
    std::constructible_from<typename S::Object, typename S::Domain&, typename S::Thread&> &&
    requires(typename S::Domain& d, typename S::Object& o, typename S::Thread& t,
             std::size_t index, void (*on_dropped)(typename S::Object&)) {
      { d.attach(index) } -> std::same_as<typename S::Thread>;
      { o.incref(t) } noexcept -> std::same_as<void>;
      { o.decref(t) } noexcept -> std::same_as<Drop>;
      { d.poll(t, on_dropped) } -> std::same_as<void>;
      { d.detach(t) } -> std::same_as<void>;
      { o.read_exact_quiescent() } -> std::same_as<std::int64_t>;
    };

template <class S>
inline constexpr LastReference last_reference_of = [] {
  if constexpr (requires { S::last_reference; }) {
    return LastReference{S::last_reference};
  } else {
    return LastReference::reported;
  }
}();

// detach(thread, dropped) where the strategy has it, else detach(thread). Use this
// where objects can still be queued for the detaching thread (biased handoff):
// their last reference may go away in the final merge.
template <class Domain, class Thread, class F>
void detach_reporting(Domain& domain, Thread& thread, F&& dropped) {
  if constexpr (requires { domain.detach(thread, dropped); }) {
    domain.detach(thread, dropped);
  } else {
    domain.detach(thread);
  }
}

// before_blocking(thread) where the strategy has it (the CPython-model GIL), else
// nothing. Call it once before a wait for another thread, not on every spin of it.
template <class Domain, class Thread>
void before_blocking(Domain& domain, Thread& thread) {
  if constexpr (requires { domain.before_blocking(thread); }) domain.before_blocking(thread);
}

// after_blocking(thread) where the strategy has it (the CPython-model GIL), else
// nothing. Call it once when the wait is over, before the next op.
template <class Domain, class Thread>
void after_blocking(Domain& domain, Thread& thread) {
  if constexpr (requires { domain.after_blocking(thread); }) domain.after_blocking(thread);
}

}  // namespace rcbench::counters
