// What the counter tests share: op-count scaling, in-place object storage, a log
// of last-reference reports that catches double reports, thread spawning, and the
// strategy lists as GoogleTest type lists.
#pragma once

#include "counters/refcounter.hpp"
#include "counters/strategies.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <latch>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace rcbench::counters::test {

// Multiplier for op counts: RCBENCH_TEST_SCALE (a positive number, default 1),
// divided further in sanitizer builds, which run 5-20x slower.
inline double op_scale() {
  double scale = 1.0;
  if (const char* env = std::getenv("RCBENCH_TEST_SCALE"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    scale = std::strtod(env, &end);
    if (end == env || *end != '\0' || !(scale > 0.0)) {
      throw std::invalid_argument(std::string("RCBENCH_TEST_SCALE must be a positive number, got '") +
                                  env + "'");
    }
  }
#if defined(__SANITIZE_THREAD__)
  scale /= 20.0;
#elif defined(__SANITIZE_ADDRESS__)
  scale /= 5.0;
#endif
  return scale;
}

inline std::size_t scaled(std::size_t ops) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(static_cast<double>(ops) * op_scale()));
}

// Objects constructed in place in one array, as the harness does, and destroyed
// (if constructed) when the arena goes. Declare it after its domain.
template <class S>
class ObjectArena {
 public:
  using Object = typename S::Object;

  explicit ObjectArena(std::size_t n)
      : storage_(std::make_unique<Storage[]>(n)), constructed_(n, 0), size_(n) {}
  ObjectArena(const ObjectArena&) = delete;
  ObjectArena& operator=(const ObjectArena&) = delete;
  ~ObjectArena() {
    for (std::size_t i = 0; i < size_; ++i) destroy(i);
  }

  Object& create(std::size_t i, typename S::Domain& domain, typename S::Thread& creator) {
    Object* obj = ::new (static_cast<void*>(&storage_[i])) Object(domain, creator);
    constructed_[i] = 1;
    return *obj;
  }
  void destroy(std::size_t i) {
    if (constructed_[i] == 0) return;
    at(i).~Object();
    constructed_[i] = 0;
  }
  Object& at(std::size_t i) { return *std::launder(reinterpret_cast<Object*>(&storage_[i])); }
  std::size_t index_of(const Object& obj) const {
    return static_cast<std::size_t>(reinterpret_cast<const Storage*>(&obj) - storage_.get());
  }
  std::size_t size() const { return size_; }

 private:
  struct alignas(Object) Storage {
    std::byte bytes[sizeof(Object)];
  };
  std::unique_ptr<Storage[]> storage_;
  std::vector<char> constructed_;  // one element per object: distinct memory locations
  std::size_t size_;
};

// Every report that an object's last reference went away, from decref or from a
// poll()/detach() callback. A second report for the same object is a double free.
class DropLog {
 public:
  explicit DropLog(std::size_t n) : seen_(n) {}

  void record(std::size_t i) {
    if (seen_.at(i).exchange(1, std::memory_order_relaxed) != 0) {
      doubles_.fetch_add(1, std::memory_order_relaxed);
    }
    total_.fetch_add(1, std::memory_order_relaxed);
  }
  std::uint64_t total() const { return total_.load(std::memory_order_relaxed); }
  std::uint64_t doubles() const { return doubles_.load(std::memory_order_relaxed); }
  bool dropped(std::size_t i) const { return seen_.at(i).load(std::memory_order_relaxed) != 0; }

 private:
  std::vector<std::atomic<std::uint8_t>> seen_;
  std::atomic<std::uint64_t> total_{0};
  std::atomic<std::uint64_t> doubles_{0};
};

// Drops one reference and logs a `last` report.
template <class S>
void drop_ref(typename S::Object& obj, typename S::Thread& t, ObjectArena<S>& arena, DropLog& log) {
  if (obj.decref(t) == Drop::last) log.record(arena.index_of(obj));
}

// The `dropped` callback for poll() and detach(): logs the report.
template <class S>
auto drop_recorder(ObjectArena<S>& arena, DropLog& log) {
  return [&arena, &log](typename S::Object& obj) { log.record(arena.index_of(obj)); };
}

// The count a strategy shows for an object that logically holds `references`.
template <class S>
std::int64_t shown_count(std::int64_t references) {
  if constexpr (last_reference_of<S> == LastReference::never) {
    return S::kImmortalInitialRefcnt;
  } else {
    return references;
  }
}

// What decref returns when references remain.
template <class S>
Drop drop_while_referenced() {
  return last_reference_of<S> == LastReference::by_reconciliation ? Drop::unknown : Drop::kept;
}

// After every reference to every object was dropped and all threads are quiescent:
// each object's end was reported exactly once, or reconciliation finds zero, or
// (immortal) nothing changed.
template <class S>
::testing::AssertionResult every_object_released(ObjectArena<S>& arena, const DropLog& log) {
  if (log.doubles() != 0)
    return ::testing::AssertionFailure()
           << log.doubles() << " objects had their last reference reported twice";
  for (std::size_t i = 0; i < arena.size(); ++i) {
    if (arena.at(i).read_exact_quiescent() != shown_count<S>(0))
      return ::testing::AssertionFailure() << "object " << i << " reads "
                                           << arena.at(i).read_exact_quiescent() << ", expected "
                                           << shown_count<S>(0);
  }
  if constexpr (last_reference_of<S> == LastReference::reported) {
    for (std::size_t i = 0; i < arena.size(); ++i) {
      if (!log.dropped(i)) return ::testing::AssertionFailure() << "object " << i << " died unreported";
    }
    if (log.total() != arena.size())
      return ::testing::AssertionFailure() << log.total() << " ends reported for " << arena.size()
                                           << " objects: each must be reported exactly once";
  } else if (log.total() != 0) {
    return ::testing::AssertionFailure() << S::name << " must never report `last`, reported "
                                         << log.total();
  }
  return ::testing::AssertionSuccess();
}

// Runs body(i) on n threads, all released together (so that they overlap rather
// than run one after another as they are created), and joins them.
template <class F>
void run_threads(std::size_t n, F body) {
  std::latch all_started(static_cast<std::ptrdiff_t>(n));
  std::vector<std::jthread> threads;
  threads.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    threads.emplace_back([&body, &all_started, i] {
      all_started.arrive_and_wait();
      body(i);
    });
  }
}

// Strategy lists as GoogleTest type lists, named by S::name in test names.
template <class List>
struct GtestTypes;
template <class... S>
struct GtestTypes<TypeList<S...>> {
  using type = ::testing::Types<S...>;
};

template <class... A, class... B>
constexpr TypeList<A..., B...> operator+(TypeList<A...>, TypeList<B...>) {
  return {};
}
template <class List>
struct RaceFreeOf;
template <class... S>
struct RaceFreeOf<TypeList<S...>> {
  using type = decltype((TypeList<>{} + ... +
                         std::conditional_t<S::race_free, TypeList<S>, TypeList<>>{}));
};

struct StrategyName {
  template <class S>
  static std::string GetName(int) {
    return std::string(S::name);
  }
};

}  // namespace rcbench::counters::test
