// The real interpreter's strategies (bench/cpython): counts stay exact under the real
// GIL, the GIL changes hands through CPython's own protocol (the eval breaker of a
// trivial call, or a release around a C call), and every thread has let go of it
// when it detaches. Assertions count events; waits have hang guards, not deadlines.
#include "cpython/real_interpreter.hpp"  // Python.h first
#include "cpython/interpreter_facts.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace rcbench::cpython::test {
namespace {

using counters::DomainConfig;
using counters::Drop;
using counters::test::ObjectArena;

template <class S>
class RealInterpreterTest : public ::testing::Test {};
using Variants = ::testing::Types<CpythonEval, CpythonRelease>;
class VariantName {
 public:
  template <class S>
  static std::string GetName(int) {
    return std::string(S::name);
  }
};
TYPED_TEST_SUITE(RealInterpreterTest, Variants, VariantName);

// Fails the test instead of hanging it when a thread never gets the GIL.
constexpr auto kHangGuard = std::chrono::seconds(60);

template <class S>
void run_blocks(typename S::Domain& domain, typename S::Thread& t, typename S::Object& obj, int blocks) {
  for (int b = 0; b < blocks; ++b) {
    domain.poll(t, [](typename S::Object&) {});
    for (int i = 0; i < 16; ++i) {
      obj.incref(t);
      EXPECT_EQ(obj.decref(t), Drop::kept);
    }
  }
}

// Two threads on one object, each running many safe points: the real GIL serializes
// them, so not one of CPython's unlocked increments is lost, and both threads have
// released the GIL (PyGILState_Check) once they detach.
TYPED_TEST(RealInterpreterTest, SharedObjectKeepsItsCountAndEveryThreadLetsGo) {
  using S = TypeParam;
  typename S::Domain domain(DomainConfig{.max_threads = 2, .switch_interval_us = 200});
  ObjectArena<S> arena(1);
  std::atomic<typename S::Object*> shared{nullptr};
  std::atomic<int> ready{0};
  std::int64_t before = 0;
  auto worker = [&](std::size_t me) {
    typename S::Thread t = domain.attach(me);
    if (me == 0) {
      auto& obj = arena.create(0, domain, t);  // takes and releases the GIL itself
      before = obj.read_exact_quiescent();
      shared.store(&obj);
    }
    ready.fetch_add(1);
    while (ready.load() < 2 || shared.load() == nullptr) std::this_thread::yield();
    run_blocks<S>(domain, t, *shared.load(), 2000);
    domain.detach(t);
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  EXPECT_EQ(before, 1) << "a new object holds its creator's reference";
  EXPECT_EQ(arena.at(0).read_exact_quiescent(), before) << "Py_REFCNT after the run equals before";
  EXPECT_EQ(domain.released_at_detach(), 2u);
  EXPECT_EQ(domain.held_after_detach(), 0u);
  EXPECT_EQ(PyGILState_Check(), 0) << "this thread never took the GIL";
}

// A thread that never blocks must still hand the GIL over: the waiter asks (after a
// switch interval) and the holder gives it up at its next safe point, through the
// eval breaker of a trivial call (eval) or a release around a C call (release).
TYPED_TEST(RealInterpreterTest, AHolderThatNeverBlocksStillHandsTheGilOver) {
  using S = TypeParam;
  typename S::Domain domain(DomainConfig{.max_threads = 2, .switch_interval_us = 100});
  ObjectArena<S> arena(1);
  std::atomic<bool> holder_has_gil{false}, waiter_ran{false}, gave_up{false};
  std::thread holder([&] {
    typename S::Thread t = domain.attach(0);
    auto& obj = arena.create(0, domain, t);
    domain.poll(t, [](typename S::Object&) {});  // takes the GIL
    holder_has_gil.store(true);
    const auto guard = std::chrono::steady_clock::now() + kHangGuard;
    while (!waiter_ran.load()) {
      run_blocks<S>(domain, t, obj, 1);
      if (std::chrono::steady_clock::now() > guard) {
        gave_up.store(true);
        break;
      }
    }
    domain.detach(t);
  });
  std::thread waiter([&] {
    while (!holder_has_gil.load()) std::this_thread::yield();
    typename S::Thread t = domain.attach(1);
    domain.poll(t, [](typename S::Object&) {});  // blocks until the holder lets go
    waiter_ran.store(true);
    domain.detach(t);
  });
  holder.join();
  waiter.join();
  EXPECT_FALSE(gave_up.load()) << "the holder kept the GIL for " << kHangGuard.count() << " s";
  EXPECT_TRUE(waiter_ran.load());
  EXPECT_EQ(domain.held_after_detach(), 0u);
}

// The handoff's life of an object: made by one thread, a reference handed to another,
// dropped there (kept: the creator still holds one), and the creator's drop is the
// last, which Py_DECREF reports by deallocating (count 0).
TYPED_TEST(RealInterpreterTest, TheCreatorsDropAfterTheConsumersIsTheLast) {
  using S = TypeParam;
  typename S::Domain domain(DomainConfig{.max_threads = 2});
  ObjectArena<S> arena(1);
  typename S::Thread creator = domain.attach(0);
  domain.poll(creator, [](typename S::Object&) {});
  auto& obj = arena.create(0, domain, creator);
  obj.incref(creator);  // the reference handed over
  domain.before_blocking(creator);
  std::thread consumer([&] {
    typename S::Thread t = domain.attach(1);
    domain.poll(t, [](typename S::Object&) {});
    EXPECT_EQ(obj.decref(t), Drop::kept);
    domain.detach(t);
  });
  consumer.join();
  domain.after_blocking(creator);
  EXPECT_EQ(obj.decref(creator), Drop::last);
  EXPECT_EQ(obj.read_exact_quiescent(), 0);
  domain.detach(creator);
  EXPECT_EQ(domain.released_at_detach(), 2u);
}

TEST(RealInterpreterFacts, NameTheLibraryAndVersionTheRowsRunOn) {
  const InterpreterFacts& f = interpreter_facts();
  EXPECT_TRUE(f.available);
  EXPECT_EQ(f.version_hex, static_cast<std::uint32_t>(PY_VERSION_HEX));
  EXPECT_EQ(f.version.rfind(std::to_string(PY_MAJOR_VERSION) + "." + std::to_string(PY_MINOR_VERSION), 0), 0u)
      << f.version;
  EXPECT_NE(f.library.find("libpython"), std::string::npos) << f.library;
  EXPECT_FALSE(f.pkg_config.empty());
}

}  // namespace
}  // namespace rcbench::cpython::test
