// What racing does to a strategy that is not race-free (plain) on a shared object,
// counted exactly, after the timed window and outside it:
//   lost_updates_per_increment  increment-only pass: every thread increments one fresh
//                               object for a window; lost = own increments summed -
//                               (final count - initial count). Increments and
//                               decrements do not cancel here, so nothing hides.
//   premature_last_per_op       checked pass: op pairs on a fresh object, counting
//                               the decrements that reported "last" while this thread
//                               still held a reference (a premature free in CPython).
// Both passes run every thread in a time window, as the timed rows do.
#pragma once

#include "aligned_buffer.hpp"
#include "spec.hpp"
#include "time_window.hpp"

#include "counters/refcounter.hpp"

#include <barrier>
#include <optional>
#include <vector>

namespace rcbench::harness {

struct RaceFigures {
  double lost_updates_per_increment = 0;
  double premature_last_per_op = 0;
};

template <class S>
class RaceCensus {
 public:
  using Object = typename S::Object;
  static constexpr auto kWindow = std::chrono::milliseconds(2);
  static constexpr unsigned kBlock = 64;

  RaceCensus(const BenchSpec& spec, std::size_t threads)
      : domain_(spec.domain), n_(threads), counts_(threads), start_(threads) {}

  // Every thread of the row calls this, pinned, after its timed window. Thread 0
  // returns the figures.
  std::optional<RaceFigures> run(std::size_t me, std::barrier<>& sync) {
    typename S::Thread h = domain_.attach(me);
    RaceFigures f;

    if (me == 0) fresh_object(h);
    sync.arrive_and_wait();  // the object exists and stop_at is reset: go
    counts_[me].ops = pass(me, 1, [&] {
      for (unsigned k = 0; k < kBlock; ++k) obj_->incref(h);
    });
    sync.arrive_and_wait();  // every increment done
    if (me == 0) {
      std::uint64_t increments = 0;
      for (const auto& c : counts_) increments += c.ops;
      const std::int64_t gained = obj_->read_exact_quiescent() - 1;
      const double lost = static_cast<double>(increments) - static_cast<double>(gained);
      f.lost_updates_per_increment = increments == 0 ? 0 : lost / static_cast<double>(increments);
      fresh_object(h);
    }
    sync.arrive_and_wait();  // the second object exists and stop_at is reset
    std::uint64_t premature = 0;
    counts_[me].ops = pass(me, 2, [&] {
      for (unsigned k = 0; k < kBlock; ++k) {
        obj_->incref(h);
        if (obj_->decref(h) == counters::Drop::last) ++premature;
      }
    });
    counts_[me].premature = premature;
    domain_.detach(h);
    sync.arrive_and_wait();
    if (me != 0) return std::nullopt;
    std::uint64_t ops = 0, last = 0;
    for (const auto& c : counts_) {
      ops += c.ops;
      last += c.premature;
    }
    f.premature_last_per_op = ops == 0 ? 0 : static_cast<double>(last) / static_cast<double>(ops);
    return f;
  }

  ~RaceCensus() {
    if (obj_ != nullptr) obj_->~Object();
  }

 private:
  struct alignas(kIsolation) Count {
    std::uint64_t ops = 0;
    std::uint64_t premature = 0;
  };

  // Thread 0, before the barrier that starts a pass: a new object, a new window.
  void fresh_object(typename S::Thread& h) {
    ctl_.stop_at.store(std::numeric_limits<std::uint64_t>::max(), std::memory_order_relaxed);
    if (obj_ != nullptr) obj_->~Object();
    storage_ = AlignedBuffer(sizeof(Object));
    obj_ = new (storage_.data()) Object(domain_, h);
  }

  // Pass `round` (1, 2) of `block` (kBlock ops or increments) until thread 0's window ends.
  template <class Block>
  std::uint64_t pass(std::size_t me, std::uint64_t round, Block&& block) {
    struct Lane {
      Block& b;
      void poll() {}
      void block() { b(); }
    } lane{block};
    start_.wait(round);  // the passes race only if the threads overlap
    std::optional<DeadlineWatch> watch;
    if (me == 0) watch.emplace(WindowClock::now(), kWindow);
    const std::uint64_t blocks = run_window(lane, ctl_, watch ? &*watch : nullptr, false, n_);
    return blocks * kBlock;
  }

  typename S::Domain domain_;
  const std::size_t n_;
  std::vector<Count> counts_;
  AlignedBuffer storage_;
  Object* obj_ = nullptr;
  WindowControl ctl_;
  StartLine start_;
};

}  // namespace rcbench::harness
