// The GIL decorators: no two operations ever overlap, the CPython model holds the
// GIL across operations, takes it at poll() (a thread entering) or after_blocking(),
// never in an op, hands it over at the holder's next poll after a waiter's request
// (forced switching: exactly one yield), and detach/before_blocking release it.
// Assertions count protocol events; none measures time (waits for an event have
// hang guards, never deadlines that a slow machine could miss).
#include "stress_patterns.hpp"
#include "test_support.hpp"

#include "counters/config_checks.hpp"
#include "counters/gil_cpython.hpp"
#include "counters/gil_lock.hpp"

#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>

#include <array>
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
      if (k % 16 == 0) domain.poll(t, [](auto&) {});  // before the block, as the harness
      obj.incref(t);
      EXPECT_EQ(obj.decref(t), Drop::kept);
    }
    domain.detach(t);
  });
  EXPECT_EQ(domain.inner().overlaps.load(), 0U) << "two operations ran inside the GIL at once";
  EXPECT_EQ(arena.at(0).read_exact_quiescent(), 1) << "a plain count is exact only if serialized";
}

// What the holder does while it waits for an event from another thread without
// giving the GIL up: nothing that touches the GIL. A hang guard, not a timing:
// after this many checks (minutes) the event is taken to be lost.
constexpr std::uint64_t kHangGuard = 50'000'000'000;
template <class Pred>
bool eventually(Pred done) {
  for (std::uint64_t i = 0; i < kHangGuard; ++i) {
    if (done()) return true;
    if (i % 1024 == 1023) std::this_thread::yield();
  }
  return false;
}

TEST(GilCpythonTest, OperationsNeitherCheckNorTakeTheGil) {
  // CPython's Py_INCREF has no ownership check; neither do the model's ops. A
  // thread that broke the contract (ops before any poll) gets no GIL: the ops run
  // unprotected, and the GIL's counters show that nothing happened.
  GilCpython::Domain domain(DomainConfig{.max_threads = 1});
  auto a = domain.attach(0);
  ObjectArena<GilCpython> arena(1);
  auto& obj = arena.create(0, domain, a);
  for (int i = 0; i < 1000; ++i) {
    obj.incref(a);
    EXPECT_EQ(obj.decref(a), Drop::kept);
  }
  EXPECT_EQ(obj.read_exact_quiescent(), 1);
  EXPECT_FALSE(domain.gil().locked()) << "an op must not take the GIL";
  EXPECT_EQ(domain.gil().stats().takes, 0U);
  EXPECT_FALSE(a.holds_gil);
  domain.detach(a);
  EXPECT_EQ(domain.gil().stats().drops, 0U) << "detach drops only a GIL it holds";
}

TEST(GilCpythonTest, PollTakesTheGilOnceAndHoldsItAcrossBlocksUntilDetach) {
  GilCpython::Domain domain(DomainConfig{.max_threads = 2});
  auto a = domain.attach(0);
  ObjectArena<GilCpython> arena(1);
  auto& obj = arena.create(0, domain, a);
  EXPECT_FALSE(domain.gil().locked()) << "creating an object does not take the GIL";
  for (int i = 0; i < 1000; ++i) {
    domain.poll(a, [](auto&) {});  // entering (first time), then the eval breaker check
    obj.incref(a);
    EXPECT_EQ(obj.decref(a), Drop::kept);
  }
  EXPECT_TRUE(domain.gil().locked());
  EXPECT_TRUE(a.holds_gil);
  const auto s = domain.gil().stats();
  EXPECT_EQ(s.takes, 1U) << "taken once, at the first poll";
  EXPECT_EQ(s.contended_takes, 0U) << "a free GIL is taken without waiting";
  EXPECT_EQ(s.switches, 1U);
  EXPECT_EQ(s.yields, 0U) << "nobody asked";
  domain.detach(a);
  ASSERT_FALSE(domain.gil().locked()) << "detach must release a held GIL";
  EXPECT_EQ(domain.gil().stats().drops, 1U);

  auto b = domain.attach(1);
  domain.poll(b, [](auto&) {});  // would wait for ever if the GIL were still held
  EXPECT_EQ(domain.gil().stats().timeouts, 0U);
  EXPECT_EQ(domain.gil().stats().switches, 2U) << "A, then B";
  domain.detach(b);
}

TEST(GilCpythonTest, BeforeBlockingDropsAndAfterBlockingOrPollRetakes) {
  GilCpython::Domain domain(DomainConfig{.max_threads = 1});
  auto a = domain.attach(0);
  ObjectArena<GilCpython> arena(1);
  auto& obj = arena.create(0, domain, a);
  domain.poll(a, [](auto&) {});
  obj.incref(a);
  ASSERT_TRUE(domain.gil().locked());

  domain.before_blocking(a);  // Py_BEGIN_ALLOW_THREADS
  EXPECT_FALSE(domain.gil().locked());
  EXPECT_FALSE(a.holds_gil);
  EXPECT_EQ(domain.gil().stats().drops, 1U);
  domain.before_blocking(a);
  EXPECT_EQ(domain.gil().stats().drops, 1U) << "nothing to drop twice";

  domain.after_blocking(a);  // Py_END_ALLOW_THREADS
  EXPECT_TRUE(domain.gil().locked());
  EXPECT_TRUE(a.holds_gil);
  EXPECT_EQ(domain.gil().stats().takes, 2U);
  domain.after_blocking(a);
  EXPECT_EQ(domain.gil().stats().takes, 2U) << "a holder does not take it again";
  EXPECT_EQ(obj.decref(a), Drop::kept);

  // The free helpers reach the same hooks; for a strategy without them they do nothing.
  before_blocking(domain, a);
  EXPECT_FALSE(domain.gil().locked());
  domain.poll(a, [](auto&) {});  // a thread whose caller skipped after_blocking enters here
  EXPECT_TRUE(domain.gil().locked());
  EXPECT_EQ(domain.gil().stats().takes, 3U);
  before_blocking(domain, a);
  after_blocking(domain, a);
  EXPECT_EQ(domain.gil().stats().takes, 4U);
  domain.detach(a);

  GilLock::Domain lock_domain(DomainConfig{.max_threads = 1});
  auto l = lock_domain.attach(0);
  before_blocking(lock_domain, l);
  after_blocking(lock_domain, l);
  lock_domain.detach(l);
}

TEST(GilCpythonTest, AWaiterTimesOutAsksAndTheHoldersPollYieldsWithAForcedHandover) {
  // CPython's protocol, step by step, with the events counted. A holds the GIL
  // and does not poll; B tries to enter (poll) and blocks. B's wait times out
  // after an interval and, since nobody switched, B sets the drop request. Only
  // then does A poll: its eval breaker check sees the request, A yields, and with
  // forced switching A's poll returns only after B has had the GIL (A re-takes it
  // after B lets it go). Without forced switching A would usually re-take it at
  // once, before B even woke up.
  GilCpython::Domain domain(DomainConfig{.max_threads = 2, .switch_interval_us = 200});
  CpythonGil& gil = domain.gil();
  ObjectArena<GilCpython> arena(1);
  auto a = domain.attach(0);
  auto& obj = arena.create(0, domain, a);
  domain.poll(a, [](auto&) {});
  obj.incref(a);

  std::atomic<bool> b_entered{false};
  std::atomic<bool> b_had_it{false};
  CpythonGil::Stats when_b_got_it;
  std::jthread b_thread([&] {
    auto b = domain.attach(1);
    b_entered.store(true, std::memory_order_release);
    domain.poll(b, [](auto&) {});  // blocks until A yields
    when_b_got_it = gil.stats();
    obj.incref(b);
    EXPECT_EQ(obj.decref(b), Drop::kept);
    b_had_it.store(true, std::memory_order_release);
    domain.detach(b);  // A's re-take waits for this
  });

  ASSERT_TRUE(eventually([&] { return gil.drop_requested(); }))
      << "B never asked for the GIL (no timeout, or no request after it)";
  EXPECT_FALSE(b_had_it.load(std::memory_order_acquire)) << "B got the GIL while A held it";
  const auto asked = gil.stats();
  EXPECT_EQ(asked.contended_takes, 1U) << "B found the GIL locked and blocked";
  EXPECT_GE(asked.timeouts, 1U) << "B asks only after a whole interval";
  EXPECT_GE(asked.drop_requests, 1U);
  EXPECT_EQ(asked.yields, 0U) << "A has not polled yet";
  EXPECT_EQ(asked.switches, 1U) << "A only";

  obj.incref(a);  // ops do not look at the request
  EXPECT_EQ(obj.decref(a), Drop::kept);
  EXPECT_TRUE(gil.drop_requested());
  domain.poll(a, [](auto&) {});  // the eval breaker: yield
  EXPECT_TRUE(b_had_it.load(std::memory_order_acquire))
      << "forced switching: A's yield must not return before B has had the GIL";
  EXPECT_TRUE(a.holds_gil);
  b_thread.join();

  EXPECT_EQ(when_b_got_it.yields, 1U);
  EXPECT_LE(when_b_got_it.forced_handovers, 1U)  // 0 when B took it before A's drop looked
      << "one handover per request";
  EXPECT_EQ(when_b_got_it.switches, 2U) << "A, then B";
  const auto after = gil.stats();
  EXPECT_EQ(after.switches, 3U) << "A, B, A again";
  EXPECT_EQ(after.yields, 1U);
  EXPECT_FALSE(gil.drop_requested()) << "a take clears the request it answered";
  EXPECT_EQ(obj.decref(a), Drop::kept);
  domain.detach(a);
  EXPECT_EQ(obj.read_exact_quiescent(), 1);
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
    domain.poll(a, [](auto&) {});
    obj.incref(a);
    a_holds.count_down();
    std::uint64_t i = 0;
    for (; i < kGiveUpAfter && !b_had_it.load(std::memory_order_acquire); ++i) {
      domain.poll(a, [](auto&) {});
      obj.incref(a);
      obj.decref(a);
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
    domain.poll(b, [](auto&) {});  // blocks until A yields
    obj.incref(b);
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

TEST(GilCpythonTest, CountsStayExactWithTwoThreadsDoingBlocksOfOpsBetweenPolls) {
  // The harness's shape: poll, then a block of 64 plain ops on one shared object,
  // on two threads. The racy `plain` inside is exact only if the GIL serializes
  // the blocks. The run lasts until the GIL has changed hands many times (a
  // counted event; each change needs a waiter's timeout, request and a yield).
  constexpr std::uint64_t kSwitches = 40;
  constexpr std::size_t kBlock = 64;
  GilCpython::Domain domain(DomainConfig{.max_threads = 2, .switch_interval_us = 100});
  ObjectArena<GilCpython> arena(1);
  std::latch created(1);
  std::atomic<bool> stop{false};
  std::atomic<bool> hung{false};
  std::array<std::uint64_t, 2> blocks{};
  run_threads(2, [&](std::size_t me) {
    auto t = domain.attach(me);
    if (me == 0) {
      arena.create(0, domain, t);
      created.count_down();
    } else {
      created.wait();
    }
    auto& obj = arena.at(0);
    for (std::uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
      domain.poll(t, [](auto&) {});
      for (std::size_t k = 0; k < kBlock; ++k) {
        obj.incref(t);
        obj.incref(t);
        if (obj.decref(t) != Drop::kept) ADD_FAILURE() << "a held reference was reported dropped";
        if (obj.decref(t) != Drop::kept) ADD_FAILURE() << "a held reference was reported dropped";
      }
      ++blocks[me];
      // The holder decides when to stop (reading stats takes the GIL's mutex, so
      // not on every block). A hang guard: far more blocks than switches need.
      if (i % 256 == 255 && domain.gil().stats().switches >= kSwitches) stop = true;
      if (i == kHangGuard) {
        hung = true;
        stop = true;
      }
    }
    domain.detach(t);
  });
  EXPECT_FALSE(hung.load()) << "the GIL did not change hands " << kSwitches << " times";
  EXPECT_EQ(arena.at(0).read_exact_quiescent(), 1) << "a plain count is exact only if serialized";
  const auto s = domain.gil().stats();
  EXPECT_GE(s.switches, kSwitches);
  EXPECT_GE(s.yields + 2, s.switches) << "after both entered, every switch is a holder's yield";
  EXPECT_GE(blocks[0], 1U);
  EXPECT_GE(blocks[1], 1U);
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
