// The contract every strategy keeps, checked on one thread: count arithmetic,
// how the last reference becomes known, reconciliation, in-place re-creation,
// and clear errors for bad configuration.
#include "test_support.hpp"

#include "counters/strategies.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>
#include <stdexcept>
#include <string_view>

namespace rcbench::counters::test {
namespace {

#if RCBENCH_WITH_CPYTHON
// "cpython311" + suffix for the libpython this build embeds.
std::string fmt_version_name(std::string_view suffix) {
  return "cpython" + std::to_string(PY_MAJOR_VERSION) + std::to_string(PY_MINOR_VERSION) + std::string(suffix);
}
#endif

// A handle ready for ops: attached and past its first poll(). The concept allows
// ops only after a poll (the CPython-model GIL takes the GIL there, and its ops
// check nothing); for the other strategies the poll does nothing yet.
template <class S>
typename S::Thread attach_running(typename S::Domain& domain, std::size_t index) {
  typename S::Thread t = domain.attach(index);
  domain.poll(t, [](typename S::Object&) {});
  return t;
}

template <class S>
class ContractTest : public ::testing::Test {};
using AllStrategyTypes = GtestTypes<AllStrategies>::type;
TYPED_TEST_SUITE(ContractTest, AllStrategyTypes, StrategyName);

TYPED_TEST(ContractTest, IncrefsAndDecrefsAddUpExactly) {
  using S = TypeParam;
  typename S::Domain domain(DomainConfig{.max_threads = 1});
  auto t = attach_running<S>(domain, 0);
  ObjectArena<S> arena(1);
  auto& obj = arena.create(0, domain, t);
  EXPECT_EQ(obj.read_exact_quiescent(), shown_count<S>(1)) << "a new object holds one reference";

  for (int i = 0; i < 5; ++i) obj.incref(t);
  EXPECT_EQ(obj.read_exact_quiescent(), shown_count<S>(6));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(obj.decref(t), drop_while_referenced<S>()) << "decref " << i;
  EXPECT_EQ(obj.read_exact_quiescent(), shown_count<S>(1));

  // Many more ops than any flush threshold or batch: still exact.
  for (int i = 0; i < 10'000; ++i) {
    obj.incref(t);
    obj.incref(t);
    EXPECT_EQ(obj.decref(t), drop_while_referenced<S>());
    if (i % 1000 == 0) {
      EXPECT_EQ(obj.read_exact_quiescent(), shown_count<S>(2));
    }
    EXPECT_EQ(obj.decref(t), drop_while_referenced<S>());
  }
  EXPECT_EQ(obj.read_exact_quiescent(), shown_count<S>(1));
  domain.detach(t);
}

TYPED_TEST(ContractTest, TheLastReferenceIsReportedOnceOrFoundByReconciliation) {
  using S = TypeParam;
  typename S::Domain domain(DomainConfig{.max_threads = 1});
  auto t = attach_running<S>(domain, 0);
  ObjectArena<S> arena(1);
  DropLog log(1);
  auto& obj = arena.create(0, domain, t);
  for (int i = 0; i < 3; ++i) obj.incref(t);
  for (int i = 0; i < 3; ++i) drop_ref(obj, t, arena, log);
  domain.poll(t, drop_recorder(arena, log));
  EXPECT_EQ(log.total(), 0U) << "three of four references dropped: nothing may be reported";

  const Drop final_drop = obj.decref(t);
  switch (last_reference_of<S>) {
    case LastReference::reported:
      EXPECT_EQ(final_drop, Drop::last);
      break;
    case LastReference::by_reconciliation:
      EXPECT_EQ(final_drop, Drop::unknown) << "a deferred decrement cannot know";
      break;
    case LastReference::never:
      EXPECT_EQ(final_drop, Drop::kept) << "an immortal object never dies";
      break;
  }
  if (final_drop == Drop::last) log.record(0);
  domain.poll(t, drop_recorder(arena, log));
  detach_reporting(domain, t, drop_recorder(arena, log));
  EXPECT_TRUE(every_object_released(arena, log));
}

TYPED_TEST(ContractTest, AnObjectCanBeRecreatedInPlace) {
  using S = TypeParam;
  typename S::Domain domain(DomainConfig{.max_threads = 1});
  auto t = attach_running<S>(domain, 0);
  ObjectArena<S> arena(1);
  auto& first = arena.create(0, domain, t);
  first.incref(t);
  first.incref(t);
  arena.destroy(0);
  auto& second = arena.create(0, domain, t);
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(second.read_exact_quiescent(), shown_count<S>(1)) << "a re-created object starts at 1";
  domain.detach(t);
}

TYPED_TEST(ContractTest, ObjectsHaveIndependentCounts) {
  using S = TypeParam;
  typename S::Domain domain(DomainConfig{.max_threads = 2});
  auto t0 = attach_running<S>(domain, 0);
  ObjectArena<S> arena(3);
  for (std::size_t i = 0; i < 3; ++i) arena.create(i, domain, t0);
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t k = 0; k < i; ++k) arena.at(i).incref(t0);
  }
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(arena.at(i).read_exact_quiescent(), shown_count<S>(static_cast<std::int64_t>(i) + 1));
  }
  domain.detach(t0);
}

TYPED_TEST(ContractTest, BadConfigurationIsRejectedWithAClearError) {
  using S = TypeParam;
  EXPECT_THROW(typename S::Domain(DomainConfig{.max_threads = 0}), std::invalid_argument);
  EXPECT_THROW(typename S::Domain(DomainConfig{.max_threads = 1, .flush_threshold = 0}),
               std::invalid_argument);
  EXPECT_THROW(typename S::Domain(DomainConfig{.max_threads = 1, .switch_interval_us = 0}),
               std::invalid_argument);
  typename S::Domain domain(DomainConfig{.max_threads = 2});
  try {
    domain.attach(2);
    ADD_FAILURE() << "attach(2) with max_threads = 2 must throw";
  } catch (const std::out_of_range& e) {
    EXPECT_NE(std::string_view(e.what()).find("max_threads = 2"), std::string_view::npos) << e.what();
  }
}

TEST(StrategyList, NamesAreTheOnesBenchmarkNamesUse) {
  // docs/run-format.md lists these; the harness appends the flush threshold to deferred.
  // The real interpreter's rows (bench/cpython) follow when the build has libpython,
  // named after the version it was built against.
  std::vector<std::string_view> expected = {"plain",    "atomic",   "atomic_seq_cst", "atomic_cas",
                                            "biased",   "deferred", "immortal",       "gil_lock",
                                            "gil_cpython"};
#if RCBENCH_WITH_CPYTHON
  const std::string eval = fmt_version_name("_eval"), release = fmt_version_name("_release");
  expected.push_back(eval);
  expected.push_back(release);
#endif
  const auto& names = strategy_names<AllStrategies>;
  EXPECT_EQ(std::vector<std::string_view>(names.begin(), names.end()), expected);
}

TEST(StrategyList, ForEachVisitsEveryStrategyInOrder) {
  std::vector<std::string_view> seen;
  for_each_strategy<AllStrategies>([&seen]<class S>() { seen.push_back(S::name); });
  ASSERT_EQ(seen.size(), AllStrategies::size);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], strategy_names<AllStrategies>[i]);
}

TEST(StrategyList, RaceFreeFlagsAreWhatTheStrategiesPromise) {
  EXPECT_FALSE(Plain::race_free) << "plain loses updates by design";
  for_each_strategy<AllStrategies>([]<class S>() {
    if constexpr (!std::is_same_v<S, Plain>) {
      EXPECT_TRUE(S::race_free) << S::name;
    }
  });
}

TEST(StrategyList, DecoratedStrategiesNameTheirInner) {
  EXPECT_EQ(GilLockT<Biased>::name, "gil_lock_biased");
  EXPECT_EQ(GilCpythonT<Atomic>::name, "gil_cpython_atomic");
  EXPECT_EQ(GilLock::name, "gil_lock");
}

}  // namespace
}  // namespace rcbench::counters::test
