// The GIL decorators: no two operations ever overlap, the CPython model holds the
// GIL across operations, hands it over at the holder's next poll after a waiter's
// request (forced switching: exactly one yield), and detach/before_blocking
// release it. Assertions count protocol events; none measures time.
#include "stress_patterns.hpp"
#include "test_support.hpp"

#include "counters/config_checks.hpp"
#include "counters/gil_cpython.hpp"
#include "counters/gil_lock.hpp"

#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cstdio>
#include <latch>
#include <thread>

namespace rcbench::counters::test {
namespace {

// An inner strategy that notices when two operations run at the same time: each
// op marks the domain busy, dawdles so that an unserialized neighbour would
// collide, and unmarks it. Counting is `plain`'s racy RMW: exact only if serialized.
struct OverlapDetector {
  static constexpr std::string_view name = "overlap_detector";
  static constexpr bool race_free = false;  // only under a GIL

  struct Domain;
  struct Thread {
    std::size_t index = 0;
    Domain* domain = nullptr;
  };
  struct Domain {
    explicit Domain(DomainConfig c) : config(validated(c)) {}
    Thread attach(std::size_t index) {
      check_attach_index(index, config);
      return Thread{index, this};
    }
    template <class F>
    void poll(Thread&, F&&) {}
    void detach(Thread&) {}

    DomainConfig config;
    std::atomic<bool> busy{false};
    std::atomic<std::uint64_t> overlaps{0};
  };
  class Object {
   public:
    Object(Domain&, Thread&) noexcept {}
    void incref(Thread& t) noexcept {
      enter(t);
      count_.store(count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      leave(t);
    }
    Drop decref(Thread& t) noexcept {
      enter(t);
      const std::int64_t before = count_.load(std::memory_order_relaxed);
      count_.store(before - 1, std::memory_order_relaxed);
      leave(t);
      return before == 1 ? Drop::last : Drop::kept;
    }
    std::int64_t read_exact_quiescent() const noexcept {
      return count_.load(std::memory_order_relaxed);
    }

   private:
    static void enter(Thread& t) noexcept {
      if (t.domain->busy.exchange(true, std::memory_order_acquire)) {
        t.domain->overlaps.fetch_add(1, std::memory_order_relaxed);
      }
      for (int i = 0; i < 16; ++i) {
        if (!t.domain->busy.load(std::memory_order_relaxed)) {
          t.domain->overlaps.fetch_add(1, std::memory_order_relaxed);  // someone left mid-op
        }
      }
    }
    static void leave(Thread& t) noexcept { t.domain->busy.store(false, std::memory_order_release); }
    std::atomic<std::int64_t> count_{1};
  };
};
static_assert(RefCountStrategy<OverlapDetector>);

template <class S>
class GilSerializationTest : public ::testing::Test {};
using SerializedDetectors =
    ::testing::Types<GilLockT<OverlapDetector>, GilCpythonT<OverlapDetector>>;
TYPED_TEST_SUITE(GilSerializationTest, SerializedDetectors, StrategyName);

TYPED_TEST(GilSerializationTest, NoTwoOperationsEverOverlap) {
  using S = TypeParam;
  constexpr std::size_t kThreads = 4;
  const std::size_t ops = scaled(100'000);
  typename S::Domain domain(DomainConfig{.max_threads = kThreads, .switch_interval_us = 20});
  ObjectArena<S> arena(1);
  std::latch created(1);
  run_threads(kThreads, [&](std::size_t me) {
    auto t = domain.attach(me);
    if (me == 0) {
      arena.create(0, domain, t);
      created.count_down();
    } else {
      created.wait();
    }
    auto& obj = arena.at(0);
    for (std::size_t k = 0; k < ops; ++k) {
      obj.incref(t);
      EXPECT_EQ(obj.decref(t), Drop::kept);
      if (k % 16 == 0) domain.poll(t, [](auto&) {});
    }
    domain.detach(t);
  });
  EXPECT_EQ(domain.inner().overlaps.load(), 0U) << "two operations ran inside the GIL at once";
  EXPECT_EQ(arena.at(0).read_exact_quiescent(), 1) << "a plain count is exact only if serialized";
}

TEST(GilCpythonTest, TheGilIsHeldAcrossOperationsUntilDetach) {
  GilCpython::Domain domain(DomainConfig{.max_threads = 2});
  auto a = domain.attach(0);
  ObjectArena<GilCpython> arena(1);
  auto& obj = arena.create(0, domain, a);
  EXPECT_FALSE(domain.gil().locked()) << "creating an object does not take the GIL";
  for (int i = 0; i < 1000; ++i) {
    obj.incref(a);
    EXPECT_EQ(obj.decref(a), Drop::kept);
    domain.poll(a, [](auto&) {});
  }
  EXPECT_TRUE(domain.gil().locked());
  EXPECT_EQ(domain.gil().stats().switches, 1U) << "taken once, at the first operation";
  domain.detach(a);
  ASSERT_FALSE(domain.gil().locked()) << "detach must release a held GIL";

  auto b = domain.attach(1);
  obj.incref(b);  // would wait for ever if the GIL were still held
  EXPECT_EQ(domain.gil().stats().timeouts, 0U) << "a free GIL is taken without waiting";
  domain.detach(b);
}

TEST(GilCpythonTest, BeforeBlockingReleasesAndTheNextOperationRetakes) {
  GilCpython::Domain domain(DomainConfig{.max_threads = 1});
  auto a = domain.attach(0);
  ObjectArena<GilCpython> arena(1);
  auto& obj = arena.create(0, domain, a);
  obj.incref(a);
  ASSERT_TRUE(domain.gil().locked());
  domain.before_blocking(a);
  EXPECT_FALSE(domain.gil().locked());
  domain.poll(a, [](auto&) {});
  EXPECT_FALSE(domain.gil().locked()) << "poll on a thread without the GIL does not take it";
  EXPECT_EQ(obj.decref(a), Drop::kept);
  EXPECT_TRUE(domain.gil().locked());
  domain.detach(a);
}

// Restricts the calling thread to one CPU: the first one this process may use.
// Returns false where affinity cannot be set (the test then runs unpinned).
bool run_on_first_allowed_cpu() {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return false;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return pthread_setaffinity_np(pthread_self(), sizeof(one), &one) == 0;
  }
  return false;
}

TEST(GilCpythonTest, AWaiterGetsTheGilAtTheHoldersFirstYieldAfterItsRequest) {
  // A takes the GIL and runs ops + polls until B has had the GIL. B asks for it.
  // CPython's protocol, counted: B waits at least one whole interval before it
  // requests (a timeout); A yields at its next poll; with forced switching A's
  // drop returns only after B took the GIL, so A yields exactly once.
  // Both threads share one CPU and B is SCHED_IDLE, so the scheduler never lets
  // B preempt A when B is woken (with an ordinary policy, Linux's EEVDF lets a
  // woken waiter run at once, which hides the race): B gets the CPU when A
  // blocks. A holder that did not wait for the handover would re-take the GIL
  // before B ran, B would time out and ask again, and A would yield about once
  // per interval until B got lucky (measured: ~100 yields).
  GilCpython::Domain domain(DomainConfig{.max_threads = 2, .switch_interval_us = 1000});
  ObjectArena<GilCpython> arena(2);
  std::latch a_holds(1);
  std::atomic<bool> b_had_it{false};
  CpythonGil::Stats when_b_got_it;
  // A hang guard, not a timing: if A never yields, B would wait for ever; after
  // this many iterations (a minute or more of A's polling) A gives up and the
  // test fails.
  constexpr std::uint64_t kGiveUpAfter = 20'000'000'000;
  bool a_gave_up = false;
  bool b_is_idle_class = false;

  std::jthread a_thread([&] {
    run_on_first_allowed_cpu();
    auto a = domain.attach(0);
    auto& obj = arena.create(0, domain, a);
    obj.incref(a);
    a_holds.count_down();
    std::uint64_t i = 0;
    for (; i < kGiveUpAfter && !b_had_it.load(std::memory_order_acquire); ++i) {
      obj.incref(a);
      obj.decref(a);
      domain.poll(a, [](auto&) {});
    }
    a_gave_up = i == kGiveUpAfter;
    domain.detach(a);
  });
  std::jthread b_thread([&] {
    run_on_first_allowed_cpu();
    const sched_param idle{};  // SCHED_IDLE needs no privilege
    b_is_idle_class = pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) == 0;
    a_holds.wait();
    auto b = domain.attach(1);
    auto& obj = arena.create(1, domain, b);
    obj.incref(b);  // blocks until A yields
    when_b_got_it = domain.gil().stats();
    b_had_it.store(true, std::memory_order_release);
    domain.detach(b);
  });
  a_thread.join();
  b_thread.join();

  ASSERT_FALSE(a_gave_up) << "A polled for " << kGiveUpAfter << " iterations and never yielded to B";
  if (!b_is_idle_class) {
    std::puts("note: SCHED_IDLE was refused; B may preempt A, which weakens the yield check");
  }
  EXPECT_GE(when_b_got_it.timeouts, 1U) << "B must wait a whole interval before asking";
  EXPECT_GE(when_b_got_it.drop_requests, 1U);
  EXPECT_EQ(when_b_got_it.yields, 1U) << "forced switching: one yield hands the GIL over";
  // 0 when B took the GIL before A's drop looked for a pending request.
  EXPECT_LE(when_b_got_it.forced_handovers, 1U);
  EXPECT_EQ(when_b_got_it.switches, 2U) << "A, then B";
  // B's wait is bounded by A's next poll, not by a number of intervals; the bound
  // below only guards against a lost request (A polls every few nanoseconds, so
  // it would take a one-second stall of A to reach it).
  EXPECT_LE(when_b_got_it.timeouts, 1000U);
  EXPECT_EQ(domain.gil().stats().yields, 1U) << "A never yields again: nobody asks";
}

// The decorators around a strategy whose poll() and detach() report drops.
template <class S>
class GilAroundBiasedTest : public ::testing::Test {};
using GilsAroundBiased = ::testing::Types<GilLockT<Biased>, GilCpythonT<Biased>>;
TYPED_TEST_SUITE(GilAroundBiasedTest, GilsAroundBiased, StrategyName);

TYPED_TEST(GilAroundBiasedTest, HandedOffObjectsAreReleasedExactlyOnce) {
  for (const std::size_t threads : {2U, 4U}) {
    SCOPED_TRACE(testing::Message() << threads << " threads");
    EXPECT_TRUE(run_handoff_pattern<TypeParam>(threads, scaled(20'000) / (threads / 2)));
  }
}

}  // namespace
}  // namespace rcbench::counters::test
