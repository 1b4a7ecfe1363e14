// Biased reference counting, one test per protocol path. A thread handle is only
// an id, so one OS thread can play the owner and the non-owners in turn: each
// path is reached deterministically, in a chosen order. The multi-threaded
// stress tests (stress_test.cpp) run the same paths concurrently.
#include "test_support.hpp"

#include "counters/biased.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rcbench::counters::test {
namespace {

constexpr std::int64_t kOne = Biased::kOneShared;

class BiasedTest : public ::testing::Test {
 protected:
  Biased::Domain domain{DomainConfig{.max_threads = 3}};
  Biased::Thread owner = domain.attach(0);
  Biased::Thread other = domain.attach(1);
  Biased::Thread third = domain.attach(2);
  ObjectArena<Biased> arena{4};
  DropLog log{4};

  Biased::Object& make(std::size_t i, Biased::Thread& creator) {
    return arena.create(i, domain, creator);
  }
  void drop(Biased::Object& obj, Biased::Thread& t) { drop_ref(obj, t, arena, log); }
  void poll(Biased::Thread& t) { domain.poll(t, drop_recorder(arena, log)); }
};

TEST_F(BiasedTest, OwnerOpsTouchOnlyTheLocalCount) {
  auto& obj = make(0, owner);
  EXPECT_EQ(obj.owner_relaxed(), owner.tid);
  for (int i = 0; i < 3; ++i) obj.incref(owner);
  EXPECT_EQ(obj.local_relaxed(), 4U);
  EXPECT_EQ(obj.shared_raw_relaxed(), 0);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(obj.decref(owner), Drop::kept);
  EXPECT_EQ(obj.local_relaxed(), 1U);
  EXPECT_EQ(obj.shared_raw_relaxed(), 0) << "the owner never touches the shared count";
  EXPECT_EQ(obj.owner_relaxed(), owner.tid);
}

TEST_F(BiasedTest, NonOwnerOpsTouchOnlyTheSharedCount) {
  auto& obj = make(0, owner);
  obj.incref(other);
  obj.incref(third);
  EXPECT_EQ(obj.shared_raw_relaxed(), 2 * kOne) << "count 2 in the bits above the flags";
  EXPECT_EQ(obj.local_relaxed(), 1U);
  EXPECT_EQ(obj.decref(other), Drop::kept);
  EXPECT_EQ(obj.decref(third), Drop::kept);
  EXPECT_EQ(obj.shared_raw_relaxed(), 0);
  EXPECT_EQ(obj.read_exact_quiescent(), 1);
  EXPECT_EQ(domain.queued_count_locked(0), 0U) << "balanced non-owner ops never queue";
}

TEST_F(BiasedTest, ANonOwnerDecrementBelowZeroQueuesTheObjectOnce) {
  auto& obj = make(0, owner);
  obj.incref(owner);  // two references counted locally; one is handed to `other`,
  obj.incref(owner);  // one to `third`
  EXPECT_EQ(obj.decref(other), Drop::kept);
  EXPECT_EQ(obj.shared_raw_relaxed(), Biased::kQueued)
      << "count unchanged (the queue holds the reference), QUEUED flag set";
  EXPECT_EQ(domain.queued_count_locked(0), 1U);

  EXPECT_EQ(obj.decref(third), Drop::kept);
  EXPECT_EQ(obj.shared_raw_relaxed(), -kOne + Biased::kQueued) << "now it goes negative";
  EXPECT_EQ(domain.queued_count_locked(0), 1U) << "an object is queued at most once";
  EXPECT_EQ(obj.owner_relaxed(), owner.tid) << "queueing alone does not change ownership";
  EXPECT_EQ(obj.read_exact_quiescent(), 2) << "local 3 + shared -1: the owner's and the queue's";
}

TEST_F(BiasedTest, TheOwnersPollMergesAndGivesUpOwnership) {
  auto& obj = make(0, owner);
  obj.incref(owner);
  EXPECT_EQ(obj.decref(other), Drop::kept);  // queued
  poll(other);
  EXPECT_EQ(domain.queued_count_locked(0), 1U) << "only the owner merges its queue";
  poll(owner);
  EXPECT_EQ(domain.queued_count_locked(0), 0U);
  EXPECT_EQ(log.total(), 0U) << "the owner's reference is still there";
  EXPECT_EQ(obj.owner_relaxed(), Biased::kUnowned);
  EXPECT_EQ(obj.local_relaxed(), 0U);
  EXPECT_EQ(obj.shared_raw_relaxed(), kOne + Biased::kMerged);
  EXPECT_EQ(obj.read_exact_quiescent(), 1);

  // Unowned now: the former owner goes through the shared count and finds the end.
  EXPECT_EQ(obj.decref(owner), Drop::last);
  EXPECT_EQ(obj.shared_raw_relaxed(), Biased::kMerged);
}

TEST_F(BiasedTest, AMergeThatReachesZeroReportsThroughPoll) {
  auto& obj = make(0, owner);
  obj.incref(owner);
  EXPECT_EQ(obj.decref(other), Drop::kept);  // queued: the queue holds that reference
  EXPECT_EQ(obj.decref(owner), Drop::kept) << "local 1 left: the queue's reference";
  poll(owner);
  EXPECT_EQ(log.total(), 1U);
  EXPECT_TRUE(log.dropped(0));
  poll(owner);
  EXPECT_EQ(log.total(), 1U) << "reported exactly once";
  EXPECT_EQ(obj.read_exact_quiescent(), 0);
}

TEST_F(BiasedTest, OwnerReachingZeroWithSharedReferencesMergesImplicitly) {
  auto& obj = make(0, owner);
  obj.incref(other);  // shared count 1
  EXPECT_EQ(obj.decref(owner), Drop::kept) << "local 0 but a shared reference remains";
  EXPECT_EQ(obj.owner_relaxed(), Biased::kUnowned) << "ownership given up";
  EXPECT_EQ(obj.shared_raw_relaxed(), kOne + Biased::kMerged);
  EXPECT_EQ(obj.decref(other), Drop::last) << "MERGED with count 0: the end";
}

TEST_F(BiasedTest, OwnerReachingZeroWithSharedZeroIsTheEnd) {
  auto& obj = make(0, owner);
  obj.incref(other);
  EXPECT_EQ(obj.decref(other), Drop::kept);  // shared back to 0, no flags
  EXPECT_EQ(obj.decref(owner), Drop::last);
  EXPECT_EQ(obj.shared_raw_relaxed(), 0) << "the fast path frees without merging";
}

TEST_F(BiasedTest, TheEndIsReportedExactlyOnceAcrossDecrefPollAndDetach) {
  // Four objects, each ending on a different path; count every report.
  auto& a = make(0, owner);  // owner's own decref
  auto& b = make(1, owner);  // non-owner decref after an implicit merge
  auto& c = make(2, owner);  // the owner's poll
  auto& d = make(3, owner);  // the owner's detach
  b.incref(other);
  c.incref(owner);
  d.incref(owner);
  drop(a, owner);
  drop(b, owner);
  drop(b, other);
  drop(c, other);
  drop(c, owner);
  poll(owner);
  drop(d, other);
  drop(d, owner);
  detach_reporting(domain, owner, drop_recorder(arena, log));
  EXPECT_TRUE(every_object_released(arena, log));
}

TEST_F(BiasedTest, DetachMergesWhatIsQueuedAndLaterDecrefsStillWork) {
  auto& queued = make(0, owner);
  auto& never_queued = make(1, owner);
  queued.incref(owner);  // for `other`
  never_queued.incref(owner);
  EXPECT_EQ(queued.decref(other), Drop::kept);  // queued to the owner
  ASSERT_EQ(domain.queued_count_locked(0), 1U);

  detach_reporting(domain, owner, drop_recorder(arena, log));  // the owner exits holding a reference each
  EXPECT_EQ(domain.queued_count_locked(0), 0U) << "detach merges everything queued";
  EXPECT_EQ(queued.owner_relaxed(), Biased::kUnowned);
  EXPECT_EQ(queued.read_exact_quiescent(), 1);
  EXPECT_EQ(never_queued.owner_relaxed(), owner.tid) << "still names the exited thread";

  // A non-owner's decrement that would queue to the dead owner merges directly.
  EXPECT_EQ(never_queued.decref(other), Drop::kept);
  EXPECT_EQ(domain.queued_count_locked(0), 0U) << "nothing may be queued to an exited thread";
  EXPECT_EQ(never_queued.owner_relaxed(), Biased::kUnowned);
  EXPECT_EQ(never_queued.read_exact_quiescent(), 1);

  // The exited owner's references are dropped by someone else: each end once.
  drop(queued, third);
  drop(never_queued, third);
  EXPECT_EQ(log.total(), 2U);
  EXPECT_EQ(log.doubles(), 0U);
}

TEST_F(BiasedTest, DetachReportsObjectsWhoseLastReferenceWasQueued) {
  auto& obj = make(0, owner);
  obj.incref(owner);
  EXPECT_EQ(obj.decref(other), Drop::kept);  // queued
  EXPECT_EQ(obj.decref(owner), Drop::kept);  // only the queue's reference is left
  detach_reporting(domain, owner, drop_recorder(arena, log));
  EXPECT_EQ(log.total(), 1U);
  EXPECT_TRUE(log.dropped(0));
}

TEST_F(BiasedTest, AThreadAttachedLaterAtTheSameIndexDoesNotInheritOwnership) {
  auto& obj = make(0, owner);
  obj.incref(owner);
  const std::uint64_t old_tid = owner.tid;
  domain.detach(owner);
  Biased::Thread successor = domain.attach(0);
  EXPECT_NE(successor.tid, old_tid) << "thread ids are never reused";
  obj.incref(successor);
  EXPECT_EQ(obj.shared_raw_relaxed(), kOne) << "the successor is a non-owner";
  EXPECT_EQ(obj.decref(successor), Drop::kept);
  EXPECT_EQ(obj.decref(successor), Drop::kept);  // would queue to the old owner: merges instead
  EXPECT_EQ(domain.queued_count_locked(0), 0U) << "not queued to the successor";
  EXPECT_EQ(obj.read_exact_quiescent(), 1);
  EXPECT_EQ(obj.decref(successor), Drop::last);
}

TEST_F(BiasedTest, AttachingTwiceOrDetachingTwiceIsAnError) {
  EXPECT_THROW(domain.attach(1), std::logic_error);
  domain.detach(other);
  EXPECT_THROW(domain.detach(other), std::logic_error);
}

}  // namespace
}  // namespace rcbench::counters::test
