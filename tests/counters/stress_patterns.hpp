// Multi-threaded stress patterns, written once for any strategy. Each ends with
// every reference dropped and checks, after joining, that every object's end was
// reported exactly once (or that reconciliation finds zero, or, for immortal
// objects, that nothing changed).
//
//   private  each thread its own object, many ops, then its last reference.
//   shared   one object; thread 0 creates it and gives every other thread one
//            reference, which that thread drops at its end; all threads hammer it;
//            a thread that joins afterwards drops the creator's reference.
//   handoff  producer/consumer pairs: the producer creates objects, takes 1-4
//            extra references and passes them through a queue; the consumer drops
//            them; the producer drops its own reference now or a few objects later,
//            so either side may hold the last one (biased: queue + merge paths).
#pragma once

#include "test_support.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <latch>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace rcbench::counters::test {

inline DomainConfig stress_config(std::size_t worker_threads) {
  // +1: the test's own thread attaches after the workers to drop what is left.
  // Flush threshold 2: the patterns' slots swing by 1-4, so deferred counting
  // folds often and also leaves deltas buffered. A short switch interval switches often.
  return DomainConfig{
      .max_threads = worker_threads + 1, .flush_threshold = 2, .switch_interval_us = 50};
}

// Each pattern returns whether every count ended exact and every object's end was
// learned exactly once; the test asserts on it.
template <class S>
::testing::AssertionResult run_private_pattern(std::size_t threads, std::size_t ops_per_thread) {
  typename S::Domain domain(stress_config(threads));
  ObjectArena<S> arena(threads);
  DropLog log(threads);
  run_threads(threads, [&](std::size_t me) {
    auto t = domain.attach(me);
    auto dropped = drop_recorder(arena, log);
    auto& obj = arena.create(me, domain, t);
    for (std::size_t k = 0; k < ops_per_thread; ++k) {
      if (k % 64 == 0) domain.poll(t, dropped);  // before the block (the GIL model takes it here)
      obj.incref(t);
      if (k % 3 == 0) obj.incref(t);
      drop_ref(obj, t, arena, log);
      if (k % 3 == 0) drop_ref(obj, t, arena, log);
    }
    domain.poll(t, dropped);
    drop_ref(obj, t, arena, log);  // the creator's reference: the last
    domain.poll(t, dropped);
    detach_reporting(domain, t, dropped);
  });
  return every_object_released(arena, log);
}

template <class S>
::testing::AssertionResult run_shared_pattern(std::size_t threads, std::size_t ops_per_thread) {
  typename S::Domain domain(stress_config(threads));
  ObjectArena<S> arena(1);
  DropLog log(1);
  std::latch created(1);
  run_threads(threads, [&](std::size_t me) {
    auto t = domain.attach(me);
    auto dropped = drop_recorder(arena, log);
    if (me == 0) {
      auto& obj = arena.create(0, domain, t);
      domain.poll(t, dropped);
      for (std::size_t i = 1; i < threads; ++i) obj.incref(t);  // one for each other thread
      created.count_down();
    } else {
      created.wait();
    }
    auto& obj = arena.at(0);
    for (std::size_t k = 0; k < ops_per_thread; ++k) {
      if (k % 64 == 0) domain.poll(t, dropped);
      obj.incref(t);
      if (k % 5 == 0) {
        obj.incref(t);
        drop_ref(obj, t, arena, log);
      }
      drop_ref(obj, t, arena, log);
    }
    domain.poll(t, dropped);
    if (me != 0) drop_ref(obj, t, arena, log);  // the reference thread 0 gave us
    domain.poll(t, dropped);
    detach_reporting(domain, t, dropped);
  });
  if (arena.at(0).read_exact_quiescent() != shown_count<S>(1))
    return ::testing::AssertionFailure() << "count " << arena.at(0).read_exact_quiescent()
                                         << " where only the creator's reference is left";
  if (log.total() != 0)
    return ::testing::AssertionFailure() << "reported dead while a reference was held";

  auto late = domain.attach(threads);
  auto dropped = drop_recorder(arena, log);
  domain.poll(late, dropped);
  drop_ref(arena.at(0), late, arena, log);
  domain.poll(late, dropped);
  detach_reporting(domain, late, dropped);
  return every_object_released(arena, log);
}

// A mutex-protected queue of (object, references passed) with an end marker.
template <class Object>
class HandoffQueue {
 public:
  void push(Object* obj, int references) {
    const std::lock_guard lock(mutex_);
    items_.emplace_back(obj, references);
  }
  void close() {
    const std::lock_guard lock(mutex_);
    closed_ = true;
  }
  // An item, or nothing; `finished` is set when the queue is closed and drained.
  std::optional<std::pair<Object*, int>> try_pop(bool& finished) {
    const std::lock_guard lock(mutex_);
    finished = closed_ && items_.empty();
    if (items_.empty()) return std::nullopt;
    auto item = items_.front();
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::deque<std::pair<Object*, int>> items_;
  bool closed_ = false;
};

template <class S>
::testing::AssertionResult run_handoff_pattern(std::size_t threads, std::size_t objects_per_producer) {
  const std::size_t pairs = threads / 2;
  if (pairs < 1) return ::testing::AssertionFailure() << "handoff needs at least two threads";
  constexpr std::size_t kOwnRefDelay = 8;  // the producer drops its own reference this much later
  typename S::Domain domain(stress_config(threads));
  ObjectArena<S> arena(pairs * objects_per_producer);
  DropLog log(arena.size());
  std::vector<HandoffQueue<typename S::Object>> queues(pairs);

  run_threads(pairs * 2, [&](std::size_t me) {
    auto t = domain.attach(me);
    auto dropped = drop_recorder(arena, log);
    HandoffQueue<typename S::Object>& queue = queues[me / 2];
    domain.poll(t, dropped);  // ops only after a poll (the GIL model takes the GIL there)
    if (me % 2 == 0) {  // producer
      const std::size_t first = (me / 2) * objects_per_producer;
      for (std::size_t i = 0; i < objects_per_producer; ++i) {
        if (i != 0) domain.poll(t, dropped);
        auto& obj = arena.create(first + i, domain, t);
        const int passed = 1 + static_cast<int>(i % 4);
        for (int r = 0; r < passed; ++r) obj.incref(t);
        queue.push(&obj, passed);
        if (i % 2 == 0) drop_ref(obj, t, arena, log);  // now: usually before the consumer's
        if (i >= kOwnRefDelay && (i - kOwnRefDelay) % 2 == 1) {
          drop_ref(arena.at(first + i - kOwnRefDelay), t, arena, log);  // later: usually after
        }
      }
      for (std::size_t i = objects_per_producer >= kOwnRefDelay ? objects_per_producer - kOwnRefDelay : 0;
           i < objects_per_producer; ++i) {
        if (i % 2 == 1) drop_ref(arena.at(first + i), t, arena, log);
      }
      queue.close();
    } else {  // consumer
      std::size_t received = 0;
      for (;;) {
        bool finished = false;
        const auto item = queue.try_pop(finished);
        if (!item) {
          if (finished) break;
          domain.poll(t, dropped);
          before_blocking(domain, t);  // the GIL model: let the producer run
          std::this_thread::yield();
          after_blocking(domain, t);  // and take it back before the next op
          continue;
        }
        for (int r = 0; r < item->second; ++r) drop_ref(*item->first, t, arena, log);
        if (++received % 16 == 0) domain.poll(t, dropped);
      }
    }
    domain.poll(t, dropped);
    detach_reporting(domain, t, dropped);
  });
  return every_object_released(arena, log);
}

}  // namespace rcbench::counters::test
