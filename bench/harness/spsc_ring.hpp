// A bounded single-producer single-consumer ring of pointers: the handoff
// workload's queue between two pinned threads. Head and tail live on their own
// cache lines (asserted) so the queue's own traffic is one line per transfer.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>

namespace rcbench::harness {

template <class T>
class SpscRing {
 public:
  explicit SpscRing(std::size_t capacity_pow2)
      : mask_(capacity_pow2 - 1), slots_(std::make_unique<T*[]>(capacity_pow2)) {}

  // Producer side. The release store publishes everything the producer wrote to
  // *item (its reference count included) to the consumer's acquire load.
  bool try_push(T* item) noexcept {
    const std::size_t t = tail_.load(std::memory_order_relaxed);
    if (t - head_cache_ > mask_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (t - head_cache_ > mask_) return false;
    }
    slots_[t & mask_] = item;
    tail_.store(t + 1, std::memory_order_release);
    return true;
  }

  // Consumer side.
  T* try_pop() noexcept {
    const std::size_t h = head_.load(std::memory_order_relaxed);
    if (h == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (h == tail_cache_) return nullptr;
    }
    T* item = slots_[h & mask_];
    head_.store(h + 1, std::memory_order_release);
    return item;
  }

 private:
  const std::size_t mask_;
  std::unique_ptr<T*[]> slots_;
  alignas(128) std::atomic<std::size_t> head_{0};
  std::size_t tail_cache_ = 0;  // consumer's copy of tail_
  alignas(128) std::atomic<std::size_t> tail_{0};
  std::size_t head_cache_ = 0;  // producer's copy of head_
  static_assert(std::atomic<std::size_t>::is_always_lock_free, "ring indices must be lock-free");
};

}  // namespace rcbench::harness
