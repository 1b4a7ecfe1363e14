// atomic: every operation is one lock-prefixed read-modify-write on one shared
// count (std::shared_ptr, Rust's Arc, PEP 703's rejected "just make it atomic").
// Three variants, each its own strategy so a table can put them side by side:
//
//   atomic          relaxed increment; release decrement, acquire fence only when
//                   it reaches zero (Arc / shared_ptr). Taking a reference needs no
//                   ordering: the caller already holds one. Dropping one must
//                   publish this thread's uses of the object to whoever frees it,
//                   and the freer must see all of them: hence release + acquire.
//   atomic_seq_cst  seq_cst both ways: what naive code does. Same instructions on
//                   x86-64 (lock xadd is already a full barrier); differs on ARM.
//   atomic_cas      compare-exchange loops both ways: what code that must inspect
//                   the value first (saturation, flags) pays; retries under contention.
//
// There is no separate `atomic_relaxed_inc`: `atomic` already increments relaxed.
#pragma once

#include "catalog_entry.hpp"
#include "refcounter.hpp"
#include "sanitizers.hpp"
#include "stateless_domain.hpp"

#include <atomic>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace rcbench::counters {

// The instructions the display names: what the ISA compiles the RMW to (on aarch64 the
// form depends on the build's atomics mode, recorded as rcbench.build.atomics_mode).
#if defined(__aarch64__)
inline constexpr std::string_view kAtomicDisplay = "atomic (ldadd, or its LL/SC or outline form)";
#else
inline constexpr std::string_view kAtomicDisplay = "atomic (lock add, lock xadd)";
#endif

struct Atomic {
  static constexpr std::string_view name = "atomic";
  static constexpr StrategyEntry catalog{
      .display = kAtomicDisplay, .order = 20,
      .summary = "one atomic read-modify-write per op, relaxed increment, release decrement "
                 "(acquire fence when it was the last)",
      .headline = HeadlineRole::rmw};
  static constexpr bool race_free = true;
  static constexpr LastReference last_reference = LastReference::reported;
  using Domain = StatelessDomain;
  using Thread = IndexThread;

  class Object {
   public:
    Object(Domain&, Thread&) noexcept {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    void incref(Thread&) noexcept { count_.fetch_add(1, std::memory_order_relaxed); }
    Drop decref(Thread&) noexcept {
#if RCBENCH_THREAD_SANITIZER
      return count_.fetch_sub(1, std::memory_order_acq_rel) == 1 ? Drop::last : Drop::kept;
#else
      // release: our uses of the object happen-before the free, whoever frees it.
      if (count_.fetch_sub(1, std::memory_order_release) != 1) return Drop::kept;
      // acquire: we free, so we must see every other thread's released uses.
      std::atomic_thread_fence(std::memory_order_acquire);
      return Drop::last;
#endif
    }
    std::int64_t read_exact_quiescent() const noexcept {
      return count_.load(std::memory_order_acquire);
    }

   private:
    std::atomic<std::int64_t> count_{1};
  };
};

struct AtomicSeqCst {
  static constexpr std::string_view name = "atomic_seq_cst";
  static constexpr StrategyEntry catalog{
      .display = "atomic, seq_cst", .order = 21,
      .summary = "the atomic count with every op sequentially consistent"};
  static constexpr bool race_free = true;
  static constexpr LastReference last_reference = LastReference::reported;
  using Domain = StatelessDomain;
  using Thread = IndexThread;

  class Object {
   public:
    Object(Domain&, Thread&) noexcept {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    void incref(Thread&) noexcept { count_.fetch_add(1, std::memory_order_seq_cst); }
    Drop decref(Thread&) noexcept {
      return count_.fetch_sub(1, std::memory_order_seq_cst) == 1 ? Drop::last : Drop::kept;
    }
    std::int64_t read_exact_quiescent() const noexcept {
      return count_.load(std::memory_order_seq_cst);
    }

   private:
    std::atomic<std::int64_t> count_{1};
  };
};

struct AtomicCas {
  static constexpr std::string_view name = "atomic_cas";
  static constexpr StrategyEntry catalog{
      .display = "atomic CAS loop", .order = 22,
      .summary = "the atomic count updated by a compare-and-swap loop, retried on contention"};
  static constexpr bool race_free = true;
  static constexpr LastReference last_reference = LastReference::reported;
  using Domain = StatelessDomain;
  using Thread = IndexThread;

  class Object {
   public:
    Object(Domain&, Thread&) noexcept {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    void incref(Thread&) noexcept {
      std::int64_t seen = count_.load(std::memory_order_relaxed);
      while (!count_.compare_exchange_weak(seen, seen + 1, std::memory_order_relaxed)) {
      }
    }
    Drop decref(Thread&) noexcept {
      std::int64_t seen = count_.load(std::memory_order_relaxed);
#if RCBENCH_THREAD_SANITIZER
      while (!count_.compare_exchange_weak(seen, seen - 1, std::memory_order_acq_rel,
                                           std::memory_order_relaxed)) {
      }
      return seen == 1 ? Drop::last : Drop::kept;
#else
      // release on success, as atomic's fetch_sub; a failed attempt publishes nothing.
      while (!count_.compare_exchange_weak(seen, seen - 1, std::memory_order_release,
                                           std::memory_order_relaxed)) {
      }
      if (seen != 1) return Drop::kept;
      std::atomic_thread_fence(std::memory_order_acquire);
      return Drop::last;
#endif
    }
    std::int64_t read_exact_quiescent() const noexcept {
      return count_.load(std::memory_order_acquire);
    }

   private:
    std::atomic<std::int64_t> count_{1};
  };
};

static_assert(std::atomic<std::int64_t>::is_always_lock_free,
              "the atomic strategies must be lock-prefixed instructions, not a library lock");
static_assert(sizeof(Atomic::Object) == 8 && sizeof(AtomicSeqCst::Object) == 8 &&
                  sizeof(AtomicCas::Object) == 8,
              "atomic objects: one 8-byte count");
static_assert(std::is_standard_layout_v<Atomic::Object> &&
                  std::is_standard_layout_v<AtomicSeqCst::Object> &&
                  std::is_standard_layout_v<AtomicCas::Object>,
              "atomic objects: placeable anywhere");

}  // namespace rcbench::counters
