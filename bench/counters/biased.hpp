// biased: biased reference counting (Choi, Shull, Torrellas, PACT 2018) as
// CPython's free-threaded build does it (PEP 703; Include/refcount.h,
// Objects/object.c, Python/brc.c). The comments name the CPython function that
// each part follows.
//
// State. Each object records the thread that made it (`tid_`, its owner; 0 = no
// owner) and keeps two counts whose sum is the true count:
//   local_   written only by the owner, with plain (relaxed) loads and stores:
//            no lock prefix, as cheap as `plain`;
//   shared_  changed by everyone else with atomic read-modify-writes. Its low two
//            bits are flags (kSharedShift = 2): 0 none, 1 MAYBE_WEAKREF (never set
//            here: there are no weak references), 2 QUEUED, 3 MERGED. The count is
//            shared_ >> 2 and may be negative: a non-owner may drop a reference
//            that the owner counted locally.
//
// Fast path. The owner's incref/decref touch local_ only. Non-owners add to or
// subtract from shared_. When the owner's local_ reaches zero it checks shared_
// (merge_zero_local): zero means the object is dead; otherwise it gives up
// ownership (tid_ = 0), marks the counts MERGED and from then on everyone uses
// shared_ alone.
//
// The hard part: a non-owner's decrement that would take shared_ below zero while
// the owner still counts locally. The true count is then not known to anyone. The
// non-owner instead sets QUEUED *without* subtracting (the queue now holds its
// reference) and pushes the object onto the owner's queue (Domain::queue_to_owner).
// At its next safe point (poll) the owner merges: local_ + shared count - 1 (the
// queue's reference) becomes the shared count, flagged MERGED, ownership is given
// up, and if the sum is zero the object is dead and `dropped` is called for it.
// QUEUED is set by a CAS from exactly "count 0, no flags", so an object is queued
// at most once; MERGED is set by CASes too, so exactly one thread ever sees the
// transition to "MERGED with count 0" and reports the last reference.
//
// Threads that exit. detach() (CPython's _Py_brc_remove_thread) merges everything
// queued to the thread before it marks its queue dead. Objects the thread still
// owns keep its (never reused) id; every later operation on them takes the
// non-owner path, and a decrement that would queue to the dead owner merges the
// object directly instead (as _Py_brc_queue_object does when it finds no thread).
//
// Placement: an object is 24 bytes, trivially destructible, and may live at any
// 8-aligned address. It must not be destroyed while queued: queued objects are
// alive (the queue holds a reference), and detach() empties the queue, so destroy
// objects only after their owners have detached or after their last reference
// was reported.
#pragma once

#include "config_checks.hpp"
#include "layout.hpp"
#include "catalog_entry.hpp"
#include "refcounter.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace rcbench::counters {

class Biased {
 public:
  static constexpr std::string_view name = "biased";
  static constexpr StrategyEntry catalog{
      .display = "biased (PEP 703)", .order = 30,
      .summary = "PEP 703's biased count: the owner's ops unlocked, other threads' atomic",
      .headline = HeadlineRole::owner_biased};
  static constexpr bool race_free = true;
  static constexpr LastReference last_reference = LastReference::reported;

  // The encoding of shared_ (CPython's _Py_REF_SHARED_SHIFT and flags).
  static constexpr int kSharedShift = 2;
  static constexpr std::int64_t kFlagMask = 0x3;
  static constexpr std::int64_t kMaybeWeakref = 0x1;
  static constexpr std::int64_t kQueued = 0x2;
  static constexpr std::int64_t kMerged = 0x3;
  static constexpr std::int64_t kOneShared = std::int64_t{1} << kSharedShift;
  static constexpr std::uint64_t kUnowned = 0;  // _Py_UNOWNED_TID

  class Domain;
  class Object;

  // A thread's handle. `tid` is unique per attach (generation << 32 | index + 1),
  // never reused, so an object owned by an exited thread is never mistaken for one
  // owned by a later thread attached at the same index.
  struct Thread {
    Domain* domain = nullptr;
    std::uint64_t tid = kUnowned;
    std::size_t index = 0;
    // This thread's "merge pending" bit, reached in one load at every safe point, as
    // CPython reaches it through the thread state's eval breaker (through the domain
    // it took three dependent loads per block).
    const std::atomic<bool>* pending = nullptr;
  };

  class Object {
   public:
    Object(Domain&, Thread& creator) noexcept : tid_(creator.tid) {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    // The owner's path is marked likely: it is BRC's premise (most operations are
    // the owner's) and what CPython's profile-guided builds lay out as the straight
    // line. Unmarked, GCC made the non-owner path the fall-through, and the owner's
    // ops, jumping out and back, ran 8x slower (bench/fidelity, this VM).
    void incref(Thread& t) noexcept {
      if (owned_by(t)) [[likely]] {
        // Owner: an unlocked RMW; nobody else writes local_ while we own it.
        local_.store(local_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      } else {
        // Relaxed like Arc's increment: the caller already holds a reference.
        shared_.fetch_add(kOneShared, std::memory_order_relaxed);
      }
    }

    Drop decref(Thread& t) noexcept {
      if (owned_by(t)) [[likely]] {
        const std::uint32_t local = local_.load(std::memory_order_relaxed) - 1;
        local_.store(local, std::memory_order_relaxed);
        if (local != 0) [[likely]] return Drop::kept;
        return merge_zero_local();
      }
      return decref_shared(t);
    }

    // local + shared count. Exact only when no thread is mid-operation on it.
    std::int64_t read_exact_quiescent() const noexcept {
      return std::int64_t{local_.load(std::memory_order_acquire)} +
             (shared_.load(std::memory_order_acquire) >> kSharedShift);
    }

    // Introspection for tests and reports: single relaxed loads, racy by nature.
    std::uint64_t owner_relaxed() const noexcept { return tid_.load(std::memory_order_relaxed); }
    std::uint32_t local_relaxed() const noexcept { return local_.load(std::memory_order_relaxed); }
    std::int64_t shared_raw_relaxed() const noexcept {
      return shared_.load(std::memory_order_relaxed);
    }

   private:
    friend class Domain;

    bool owned_by(const Thread& t) const noexcept {
      // Relaxed suffices: only the owner ever stores its own id here (at
      // construction), and a stale read of another value sends us down the
      // always-correct shared path.
      return tid_.load(std::memory_order_relaxed) == t.tid;
    }

    // _Py_MergeZeroLocalRefcount. Out of line, as in CPython: the owner's decref
    // stays a few plain instructions.
    [[gnu::noinline]] Drop merge_zero_local() noexcept {
      // acquire: if shared_ is 0 we free, after every non-owner's released use.
      std::int64_t shared = shared_.load(std::memory_order_acquire);
      if (shared == 0) return Drop::last;  // nobody else holds or ever dropped a reference
      // gh-121794: give up ownership before the CAS below publishes MERGED, so that
      // "tid 0" always implies "merged".
      tid_.store(kUnowned, std::memory_order_relaxed);
      std::int64_t merged = 0;
      do {
        merged = (shared & ~kFlagMask) | kMerged;
        // acq_rel: release publishes tid_ = 0 and our uses; acquire because if the
        // merged count is zero we free.
      } while (!shared_.compare_exchange_weak(shared, merged, std::memory_order_acq_rel,
                                              std::memory_order_acquire));
      return merged == kMerged ? Drop::last : Drop::kept;
    }

    // _Py_DecRefShared (_Py_DecRefSharedIsDead). Out of line, as in CPython.
    [[gnu::noinline]] Drop decref_shared(Thread& t) noexcept {
      std::int64_t shared = shared_.load(std::memory_order_relaxed);
      std::int64_t desired = 0;
      bool queue = false;
      do {
        // Count zero, not queued, not merged: the owner counted our reference
        // locally. Park it in the owner's queue instead of going negative.
        queue = shared == 0 || shared == kMaybeWeakref;
        desired = queue ? kQueued : shared - kOneShared;
        // acq_rel: release our uses to whoever frees; acquire in case we free.
      } while (!shared_.compare_exchange_weak(shared, desired, std::memory_order_acq_rel,
                                              std::memory_order_relaxed));
      if (queue) return t.domain->queue_to_owner(*this, t);
      return desired == kMerged ? Drop::last : Drop::kept;  // MERGED with count 0
    }

    // _Py_ExplicitMergeRefcount: fold local_ into shared_, give up ownership and
    // mark MERGED. `extra` is -1 when a queue's reference is dropped in the same
    // step. Returns the merged count. Called by the owner (poll, detach) or, for an
    // exited owner, by the one non-owner that queued the object (under the dead
    // queue's mutex, which orders it after the owner's last local write).
    std::int64_t explicit_merge(std::int64_t extra) noexcept {
      const std::int64_t local = local_.load(std::memory_order_relaxed);
      // gh-119999: write local_ and tid_ before the CAS that publishes the merge.
      local_.store(0, std::memory_order_relaxed);
      tid_.store(kUnowned, std::memory_order_relaxed);
      std::int64_t shared = shared_.load(std::memory_order_relaxed);
      std::int64_t count = 0;
      do {
        count = (shared >> kSharedShift) + local + extra;
        // acq_rel: release the stores above and our uses; acquire since count 0 frees.
      } while (!shared_.compare_exchange_weak(shared, count * kOneShared + kMerged,
                                              std::memory_order_acq_rel,
                                              std::memory_order_relaxed));
      return count;
    }

    std::atomic<std::uint64_t> tid_;       // ob_tid
    std::atomic<std::uint32_t> local_{1};  // ob_ref_local
    std::atomic<std::int64_t> shared_{0};  // ob_ref_shared: count << 2 | flags
  };

  class Domain {
   public:
    explicit Domain(DomainConfig config)
        : config_(validated(config)), queues_(std::make_unique<Queue[]>(config_.max_threads)) {}
    Domain(const Domain&) = delete;
    Domain& operator=(const Domain&) = delete;

    // _Py_brc_init_thread. Throws if the index is out of range or already attached.
    Thread attach(std::size_t index) {
      check_attach_index(index, config_);
      Queue& q = queues_[index];
      const std::lock_guard lock(q.mutex);
      if (q.tid != kUnowned) {
        throw std::logic_error("biased: attach(" + std::to_string(index) +
                               "): index is already attached (detach it first)");
      }
      ++q.generation;
      q.tid = (std::uint64_t{q.generation} << 32) | (std::uint64_t{index} + 1);
      return Thread{this, q.tid, index, &q.pending};
    }

    // _Py_brc_merge_refcounts, reached through the eval breaker bit (`pending`).
    template <class F>
    void poll(Thread& t, F&& dropped) {
      // The owner's own line; written by a queuer only when it queues.
      if (!t.pending->load(std::memory_order_relaxed)) [[likely]] return;
      Queue& q = queues_[t.index];
      {
        const std::lock_guard lock(q.mutex);  // orders the queuers' pushes before us
        q.pending.store(false, std::memory_order_relaxed);
        q.merging.swap(q.objects);
      }
      merge_all(q.merging, dropped);  // no lock held: `dropped` may do anything
    }

    // _Py_brc_remove_thread: merge everything queued to `t`, then mark its queue
    // dead under the same lock, so no queuer can add to it afterwards.
    template <class F>
    void detach(Thread& t, F&& dropped) {
      Queue& q = queues_[t.index];
      for (;;) {
        merge_all(q.merging, dropped);
        const std::lock_guard lock(q.mutex);
        if (q.tid != t.tid) {
          throw std::logic_error("biased: detach(index " + std::to_string(t.index) +
                                 "): this thread is not attached (detached twice?)");
        }
        if (q.objects.empty()) {
          q.tid = kUnowned;
          q.pending.store(false, std::memory_order_relaxed);
          return;
        }
        q.merging.swap(q.objects);
      }
    }
    // Objects whose last reference goes away in the final merge are not reported;
    // prefer detach(t, dropped) (or counters::detach_reporting) where that matters.
    void detach(Thread& t) {
      detach(t, [](Object&) {});
    }

    // Introspection for tests: objects queued to the thread at `index` (takes its lock).
    std::size_t queued_count_locked(std::size_t index) {
      check_attach_index(index, config_);
      Queue& q = queues_[index];
      const std::lock_guard lock(q.mutex);
      return q.objects.size();
    }

   private:
    friend class Object;

    // _Py_brc_queue_object. The queue takes over the caller's reference.
    Drop queue_to_owner(Object& obj, Thread& me) noexcept {
      const std::uint64_t owner = obj.tid_.load(std::memory_order_acquire);
      if (owner == kUnowned) {
        // The owner merged concurrently: our reference is an ordinary shared one
        // again. Drop it the ordinary way.
        return obj.decref_shared(me);
      }
      Queue& q = queues_[static_cast<std::size_t>((owner & 0xffff'ffffU) - 1)];
      const std::lock_guard lock(q.mutex);
      if (q.tid != owner) {
        // The owner has exited (its queue is dead or re-attached by a newer
        // thread): merge here, dropping the parked reference. Its detach released
        // this mutex after its last write to local_, so we read the final value.
        return obj.explicit_merge(-1) == 0 ? Drop::last : Drop::kept;
      }
      q.objects.push_back(&obj);  // may allocate; the slow path, once per object
      q.pending.store(true, std::memory_order_relaxed);  // the owner re-checks under the lock
      return Drop::kept;
    }

    // merge_queued_objects: each queued object loses the queue's reference.
    template <class F>
    static void merge_all(std::vector<Object*>& objects, F& dropped) {
      for (Object* obj : objects) {
        if (obj->explicit_merge(-1) == 0) dropped(*obj);
      }
      objects.clear();  // keeps capacity: later merges do not allocate
    }

    struct alignas(kFalseSharingRange) Queue {
      std::mutex mutex;
      std::uint64_t tid = kUnowned;      // attached thread, kUnowned when none (mutex)
      std::uint32_t generation = 0;      // attaches so far at this index (mutex)
      std::vector<Object*> objects;      // objects_to_merge (mutex)
      std::atomic<bool> pending{false};  // the eval breaker bit: the owner polls it
      std::vector<Object*> merging;      // local_objects_to_merge: the owner's only
    };

    DomainConfig config_;
    std::unique_ptr<Queue[]> queues_;
  };
};

static_assert(sizeof(Biased::Object) == 24,
              "biased object: ob_tid (8) + ob_ref_local (4, padded) + ob_ref_shared (8)");
static_assert(std::is_standard_layout_v<Biased::Object>, "biased object: placeable anywhere");
static_assert(std::is_trivially_destructible_v<Biased::Object>,
              "biased object: destroying one must not touch the domain");
static_assert(std::atomic<std::uint64_t>::is_always_lock_free &&
                  std::atomic<std::uint32_t>::is_always_lock_free,
              "the owner's fast path must be plain loads and stores");
static_assert((-6 >> Biased::kSharedShift) == -2,
              "the shared count needs an arithmetic right shift (C++20 guarantees it)");

}  // namespace rcbench::counters
