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

}  // namespace rcbench::counters
