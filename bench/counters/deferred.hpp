// deferred: each thread buffers its increments and decrements of an object in a
// slot of its own (Linux percpu_ref, folly's ThreadCachedInt) and folds them into
// the object's shared atomic count only when the buffered delta reaches
// +-flush_threshold. Most operations are an unlocked add to a line no other thread
// writes; one in flush_threshold is a lock-prefixed add.
//
// The price: nobody knows the true count. A decrement cannot tell whether it was
// the last (decref returns Drop::unknown), and the shared count alone can pass
// through zero, or below it, while other threads still buffer increments. So the
// shared count carries a bias (percpu_ref's PERCPU_COUNT_BIAS): it starts at
// kBias + 1, and no sequence of folds can bring it near zero. Only reconciliation
// (read_exact_quiescent: the shared count minus the bias plus every thread's
// slot) learns the count, and it is exact only when no thread is mid-operation on
// the object and each thread's last slot write happened-before the call (the
// harness hands objects back through queues with release/acquire).
//
// Storage. An object needs max_threads padded slots, so unlike the other
// strategies it is not self-contained: the constructor takes a slot block from
// the domain (a free list per creating thread, mutex-protected, growing as
// needed) and the destructor gives it back. The object holds pointers to the
// block and the domain: 24 bytes, plus kSlotBytes * max_threads in the block.
// Destroy every object before its domain.
#pragma once

#include "config_checks.hpp"
#include "layout.hpp"
#include "catalog_entry.hpp"
#include "refcounter.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rcbench::counters {

class Deferred {
 public:
  static constexpr std::string_view name = "deferred";  // the harness appends _<flush>
  static constexpr StrategyEntry catalog{
      .display = "deferred", .order = 40,
      .summary = "per-thread buffered deltas, reconciled into the count every `flush` ops"};
  static constexpr bool race_free = true;
  static constexpr LastReference last_reference = LastReference::by_reconciliation;

  // Far above any reachable count, far below overflow: 2^62.
  static constexpr std::int64_t kBias = std::int64_t{1} << 62;

  class Domain;
  class Object;

  // One thread's buffered delta for one object, alone in its false-sharing range.
  struct alignas(kFalseSharingRange) Slot {
    std::atomic<std::int64_t> delta{0};  // written by one thread only: relaxed load + store
    std::uint32_t home_pool = 0;         // in a block's first slot: the free list it returns to
  };
  static constexpr std::size_t kSlotBytes = sizeof(Slot);

  struct Thread {
    std::size_t index = 0;
    std::int64_t flush_threshold = 0;  // copied here so the hot path reads no domain state
  };

  class Domain {
   public:
    explicit Domain(DomainConfig config)
        : config_(validated(config)), pools_(std::make_unique<Pool[]>(config_.max_threads)) {}
    Domain(const Domain&) = delete;
    Domain& operator=(const Domain&) = delete;

    Thread attach(std::size_t index) const {
      check_attach_index(index, config_);
      return Thread{index, std::int64_t{config_.flush_threshold}};
    }
    // Nothing to do at a safe point: a thread cannot learn any count alone.
    template <class F>
    void poll(Thread&, F&&) const noexcept {}
    void detach(Thread&) const noexcept {}

    std::size_t max_threads() const noexcept { return config_.max_threads; }

   private:
    friend class Object;

    Slot* take_block(std::size_t pool_index) {
      Pool& pool = pools_[pool_index];
      const std::lock_guard lock(pool.mutex);
      if (pool.free.empty()) {
        pool.blocks.push_back(std::make_unique<Slot[]>(config_.max_threads));
        // A block only ever returns to its home pool, so the free list never holds
        // more than blocks.size(): reserving here keeps give_back() from allocating.
        pool.free.reserve(pool.blocks.size());
        Slot* block = pool.blocks.back().get();
        block[0].home_pool = static_cast<std::uint32_t>(pool_index);
        return block;
      }
      Slot* block = pool.free.back();
      pool.free.pop_back();
      return block;
    }

    void give_back(Slot* block) noexcept {
      // Every thread's last write to these slots happened-before the object's
      // destruction (the destroyer holds the last reference): relaxed stores suffice.
      for (std::size_t i = 0; i < config_.max_threads; ++i) {
        block[i].delta.store(0, std::memory_order_relaxed);
      }
      Pool& pool = pools_[block[0].home_pool];
      const std::lock_guard lock(pool.mutex);
      pool.free.push_back(block);  // within the capacity reserved in take_block()
    }

    struct alignas(kFalseSharingRange) Pool {
      std::mutex mutex;
      std::vector<std::unique_ptr<Slot[]>> blocks;  // every block this pool made
      std::vector<Slot*> free;
    };

    DomainConfig config_;
    std::unique_ptr<Pool[]> pools_;
  };

  class Object {
   public:
    Object(Domain& domain, Thread& creator)
        : domain_(&domain), slots_(domain.take_block(creator.index)) {}
    ~Object() { domain_->give_back(slots_); }
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    void incref(Thread& t) noexcept { add(t, +1); }
    Drop decref(Thread& t) noexcept {
      add(t, -1);
      return Drop::unknown;
    }

    // Reconciliation: folded count minus the bias plus every buffered delta. Reads
    // only (nothing is folded), so it needs no ordering with the slots' later writes.
    std::int64_t read_exact_quiescent() const noexcept {
      std::int64_t count = shared_.load(std::memory_order_acquire) - kBias;
      for (std::size_t i = 0; i < domain_->max_threads(); ++i) {
        count += slots_[i].delta.load(std::memory_order_relaxed);
      }
      return count;
    }

    // Introspection for tests: the folded count including the bias, and one
    // thread's buffered delta (single relaxed loads).
    std::int64_t shared_raw_relaxed() const noexcept {
      return shared_.load(std::memory_order_relaxed);
    }
    std::int64_t buffered_relaxed(std::size_t thread_index) const noexcept {
      return slots_[thread_index].delta.load(std::memory_order_relaxed);
    }

   private:
    void add(Thread& t, std::int64_t step) noexcept {
      std::atomic<std::int64_t>& slot = slots_[t.index].delta;
      std::int64_t delta = slot.load(std::memory_order_relaxed) + step;
      if (delta >= t.flush_threshold || delta <= -t.flush_threshold) [[unlikely]] {
        // release: this thread's uses of the object happen-before anything that
        // reads the folded count with acquire (reconciliation).
        shared_.fetch_add(delta, std::memory_order_release);
        delta = 0;
      }
      slot.store(delta, std::memory_order_relaxed);
    }

    std::atomic<std::int64_t> shared_{kBias + 1};  // the creator's reference, folded
    Domain* domain_;
    Slot* slots_;
  };
};

static_assert(sizeof(Deferred::Slot) == kFalseSharingRange,
              "deferred slot: exactly one false-sharing range per thread per object");
static_assert(alignof(Deferred::Slot) == kFalseSharingRange,
              "deferred slot: blocks must start on a false-sharing boundary");
static_assert(sizeof(Deferred::Object) == 24,
              "deferred object: shared count + domain pointer + slot block pointer");
static_assert(std::is_standard_layout_v<Deferred::Object>, "deferred object: placeable anywhere");
static_assert(Deferred::kBias > (std::int64_t{1} << 40) &&
                  std::numeric_limits<std::int64_t>::max() - Deferred::kBias >= (std::int64_t{1} << 61),
              "the bias must dwarf any count yet leave 2^61 of room for folds either way");

}  // namespace rcbench::counters
