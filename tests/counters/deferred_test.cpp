// Deferred counting: buffered deltas fold at the threshold, a decrement never
// claims to know the count, reconciliation finds it, and the bias keeps the
// folded count away from zero while increments are still buffered elsewhere.
// Several thread handles on one OS thread make each scenario deterministic.
#include "test_support.hpp"

#include "counters/deferred.hpp"

#include <gtest/gtest.h>

#include <random>

namespace rcbench::counters::test {
namespace {

constexpr std::int64_t kBias = Deferred::kBias;

TEST(DeferredTest, DeltasStayInTheThreadsSlotUntilTheThreshold) {
  Deferred::Domain domain(DomainConfig{.max_threads = 2, .flush_threshold = 4});
  auto a = domain.attach(0);
  auto b = domain.attach(1);
  ObjectArena<Deferred> arena(1);
  auto& obj = arena.create(0, domain, a);
  EXPECT_EQ(obj.shared_raw_relaxed(), kBias + 1) << "the creator's reference is folded, biased";
  for (int i = 0; i < 3; ++i) obj.incref(b);
  EXPECT_EQ(obj.buffered_relaxed(1), 3);
  EXPECT_EQ(obj.shared_raw_relaxed(), kBias + 1) << "below the threshold nothing folds";
  obj.incref(b);
  EXPECT_EQ(obj.buffered_relaxed(1), 0);
  EXPECT_EQ(obj.shared_raw_relaxed(), kBias + 5) << "+4 folded at the threshold";
  for (int i = 0; i < 4; ++i) EXPECT_EQ(obj.decref(a), Drop::unknown);
  EXPECT_EQ(obj.buffered_relaxed(0), 0);
  EXPECT_EQ(obj.shared_raw_relaxed(), kBias + 1) << "-4 folded at the threshold";
  EXPECT_EQ(obj.read_exact_quiescent(), 1);
}

TEST(DeferredTest, ZeroIsNeverReportedBeforeReconciliation) {
  // Random ops by four handles on one object, threshold 3: every decrement says
  // `unknown`, and the folded count never comes near zero.
  Deferred::Domain domain(DomainConfig{.max_threads = 4, .flush_threshold = 3});
  std::vector<Deferred::Thread> threads;
  for (std::size_t i = 0; i < 4; ++i) threads.push_back(domain.attach(i));
  ObjectArena<Deferred> arena(1);
  auto& obj = arena.create(0, domain, threads[0]);
  std::mt19937 rng(12345);  // fixed seed: the same sequence every run
  std::int64_t references = 1;
  for (int step = 0; step < 20'000; ++step) {
    auto& t = threads[rng() % threads.size()];
    if (references == 1 || rng() % 2 == 0) {
      obj.incref(t);
      ++references;
    } else {
      ASSERT_EQ(obj.decref(t), Drop::unknown);
      --references;
    }
    ASSERT_GT(obj.shared_raw_relaxed(), kBias / 2) << "step " << step;
  }
  EXPECT_EQ(obj.read_exact_quiescent(), references);
  while (references > 0) {
    ASSERT_EQ(obj.decref(threads[0]), Drop::unknown);
    --references;
  }
  EXPECT_NE(obj.shared_raw_relaxed(), 0) << "the folded count alone never shows zero";
  EXPECT_EQ(obj.read_exact_quiescent(), 0) << "reconciliation finds the end";
}

TEST(DeferredTest, ReconciliationFindsZeroWithDeltasStillBuffered) {
  Deferred::Domain domain(DomainConfig{.max_threads = 2, .flush_threshold = 64});
  auto a = domain.attach(0);
  auto b = domain.attach(1);
  ObjectArena<Deferred> arena(1);
  auto& obj = arena.create(0, domain, a);
  obj.incref(b);
  obj.incref(b);
  EXPECT_EQ(obj.decref(a), Drop::unknown);  // the creator's reference: a's slot -1
  EXPECT_EQ(obj.decref(b), Drop::unknown);
  EXPECT_EQ(obj.decref(b), Drop::unknown);  // b's slot back to 0
  EXPECT_EQ(obj.buffered_relaxed(0), -1) << "nothing folded: below the threshold";
  EXPECT_EQ(obj.shared_raw_relaxed(), kBias + 1);
  EXPECT_EQ(obj.read_exact_quiescent(), 0);
}

TEST(DeferredTest, TheBiasPreventsAPrematureZeroWhileAnIncrementIsBuffered) {
  // Threshold 2. `a` creates the object (folded: 1). `b` takes a reference and
  // keeps it (buffered +1, not folded). `c` takes one and gives it to `a`
  // (buffered +1). `a` drops two: its slot reaches -2 and folds. The folded count
  // is now 1 - 2 = -1 while b still holds a reference: an unbiased counter that
  // trusted its atomic count would see "no references" (even below zero) and free
  // a live object. With the bias the folded count is kBias - 1, nowhere near zero.
  Deferred::Domain domain(DomainConfig{.max_threads = 3, .flush_threshold = 2});
  auto a = domain.attach(0);
  auto b = domain.attach(1);
  auto c = domain.attach(2);
  ObjectArena<Deferred> arena(1);
  auto& obj = arena.create(0, domain, a);
  obj.incref(b);
  obj.incref(c);
  EXPECT_EQ(obj.decref(a), Drop::unknown);
  EXPECT_EQ(obj.decref(a), Drop::unknown);
  EXPECT_EQ(obj.shared_raw_relaxed() - kBias, -1) << "the folded count alone says -1";
  EXPECT_GT(obj.shared_raw_relaxed(), 0) << "biased, it stays far from zero";
  EXPECT_EQ(obj.read_exact_quiescent(), 1) << "b's buffered reference is real";
  EXPECT_EQ(obj.decref(b), Drop::unknown);
  EXPECT_EQ(obj.read_exact_quiescent(), 0);
}

TEST(DeferredTest, ThresholdOneFoldsEveryOperation) {
  Deferred::Domain domain(DomainConfig{.max_threads = 1, .flush_threshold = 1});
  auto a = domain.attach(0);
  ObjectArena<Deferred> arena(1);
  auto& obj = arena.create(0, domain, a);
  obj.incref(a);
  EXPECT_EQ(obj.buffered_relaxed(0), 0);
  EXPECT_EQ(obj.shared_raw_relaxed(), kBias + 2);
  EXPECT_EQ(obj.decref(a), Drop::unknown);
  EXPECT_EQ(obj.shared_raw_relaxed(), kBias + 1);
}

TEST(DeferredTest, SlotBlocksAreReusedAndStartAtZero) {
  Deferred::Domain domain(DomainConfig{.max_threads = 2, .flush_threshold = 64});
  auto a = domain.attach(0);
  auto b = domain.attach(1);
  ObjectArena<Deferred> arena(1);
  auto& first = arena.create(0, domain, a);
  for (int i = 0; i < 10; ++i) first.incref(b);  // buffered in b's slot
  arena.destroy(0);                            // gives the block back with b's +10 in it
  auto& second = arena.create(0, domain, a);  // same creator: the same free list
  EXPECT_EQ(second.buffered_relaxed(1), 0) << "a reused block must not carry old deltas";
  EXPECT_EQ(second.read_exact_quiescent(), 1);
}

}  // namespace
}  // namespace rcbench::counters::test
