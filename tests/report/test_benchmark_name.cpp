// Every name form of docs/run-format.md parses into its parts; junk is refused with
// a message that names the problem.
#include "run/run_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using rcbench::runjson::BenchmarkName;
using rcbench::runjson::InputError;

TEST(BenchmarkName, RefcountWithoutParams) {
  const auto n = BenchmarkName::parse("refcount/atomic/shared/placement:l3/real_time/threads:2");
  EXPECT_EQ(n.kind, "refcount");
  EXPECT_EQ(n.strategy, "atomic");
  EXPECT_EQ(n.workload, "shared");
  EXPECT_TRUE(n.params.empty());
  EXPECT_EQ(n.placement, "l3");
  EXPECT_EQ(n.threads, 2);
}

TEST(BenchmarkName, RefcountWithParams) {
  const auto fs = BenchmarkName::parse("refcount/plain/false_sharing/pad:128/placement:smt/real_time/threads:2");
  EXPECT_EQ(fs.workload, "false_sharing");
  EXPECT_EQ(fs.params.at("pad"), "128");
  EXPECT_EQ(fs.placement, "smt");

  const auto mixed = BenchmarkName::parse("refcount/biased/mixed/shared_pct:10/placement:compact/real_time/threads:8");
  EXPECT_EQ(mixed.strategy, "biased");
  EXPECT_EQ(mixed.params.at("shared_pct"), "10");
  EXPECT_EQ(mixed.placement, "compact");
  EXPECT_EQ(mixed.threads, 8);
}

TEST(BenchmarkName, EveryStrategySpelling) {
  for (const std::string s : {"plain", "atomic", "atomic_seq_cst", "atomic_relaxed_inc", "atomic_cas",
                              "biased", "deferred_64", "immortal", "gil_lock", "gil_cpython"}) {
    EXPECT_EQ(BenchmarkName::parse("refcount/" + s + "/handoff/placement:numa/real_time/threads:2").strategy, s);
  }
}

TEST(BenchmarkName, Calibration) {
  const auto over = BenchmarkName::parse("calibration/overhead/placement:single/real_time/threads:1");
  EXPECT_EQ(over.kind, "calibration");
  EXPECT_EQ(over.strategy, "overhead");
  EXPECT_TRUE(over.workload.empty());
  EXPECT_EQ(over.placement, "single");
  const auto pp = BenchmarkName::parse("calibration/pingpong/placement:machine/real_time/threads:2");
  EXPECT_EQ(pp.strategy, "pingpong");
  EXPECT_EQ(pp.placement, "machine");
}

// Issue 14's names: both ping-pong methods, matrix cells, and the biased foreign row.
TEST(BenchmarkName, MethodTwoNames) {
  const auto two = BenchmarkName::parse("calibration/pingpong_two_line/placement:l3/real_time/threads:2");
  EXPECT_EQ(two.strategy, "pingpong_two_line");
  EXPECT_EQ(BenchmarkName::parse("calibration/pingpong_one_line_cas/placement:smt/real_time/threads:2").strategy,
            "pingpong_one_line_cas");
  const auto cell = BenchmarkName::parse("calibration/pingpong_two_line/pair:0-17/placement:numa/real_time/threads:2");
  EXPECT_EQ(cell.params.at("pair"), "0-17");
  EXPECT_EQ(cell.placement, "numa");
  const auto foreign = BenchmarkName::parse("refcount/biased/foreign/placement:single/real_time/threads:1");
  EXPECT_EQ(foreign.workload, "foreign");
  EXPECT_EQ(foreign.threads, 1);
  EXPECT_NE(foreign.without_strategy(),
            BenchmarkName::parse("refcount/biased/private/placement:single/real_time/threads:1").without_strategy());
}

TEST(BenchmarkName, GoogleBenchmarkSuffixesAreNotParams) {
  // Without threads:N Google Benchmark ran one thread; run-time knobs add suffixes.
  const auto n = BenchmarkName::parse("refcount/atomic/private/placement:single/min_time:0.100/repeats:9/real_time");
  EXPECT_EQ(n.threads, 1);
  EXPECT_TRUE(n.params.empty());
  EXPECT_EQ(n.without_strategy(),
            BenchmarkName::parse("refcount/gil_cpython/private/placement:single/real_time/threads:1").without_strategy());
}

TEST(BenchmarkName, WithoutStrategyMatchesOnlySameConditions) {
  const auto a = BenchmarkName::parse("refcount/atomic/mixed/shared_pct:10/placement:l3/real_time/threads:2");
  const auto gil = BenchmarkName::parse("refcount/gil_cpython/mixed/shared_pct:10/placement:l3/real_time/threads:2");
  const auto other_pct = BenchmarkName::parse("refcount/gil_cpython/mixed/shared_pct:50/placement:l3/real_time/threads:2");
  const auto other_threads = BenchmarkName::parse("refcount/gil_cpython/mixed/shared_pct:10/placement:l3/real_time/threads:4");
  EXPECT_EQ(a.without_strategy(), gil.without_strategy());
  EXPECT_EQ(a.without_strategy(), "refcount/mixed/shared_pct:10/placement:l3/threads:2");
  EXPECT_NE(a.without_strategy(), other_pct.without_strategy());
  EXPECT_NE(a.without_strategy(), other_threads.without_strategy());
}

// Issue 17: the shared object's page on thread 0's node (local) or thread 1's (remote)
// qualifies the placement; rows without it keep their names and match only each other.
TEST(BenchmarkName, MemoryPlacementFollowsThePlacement) {
  const auto remote = BenchmarkName::parse("refcount/atomic/shared/placement:machine/mem:remote/real_time/threads:2");
  EXPECT_EQ(remote.workload, "shared");
  EXPECT_EQ(remote.placement, "machine");
  EXPECT_EQ(remote.mem, "remote");
  EXPECT_TRUE(remote.params.empty()) << "mem is not a workload parameter";
  EXPECT_EQ(remote.threads, 2);
  EXPECT_EQ(remote.to_string(), "refcount/atomic/shared/placement:machine/mem:remote/threads:2");
  EXPECT_EQ(remote.without_strategy(), "refcount/shared/placement:machine/mem:remote/threads:2");

  const auto gil = BenchmarkName::parse("refcount/gil_cpython/shared/placement:machine/mem:remote/real_time/threads:2");
  const auto local = BenchmarkName::parse("refcount/atomic/shared/placement:machine/mem:local/real_time/threads:2");
  const auto unplaced = BenchmarkName::parse("refcount/atomic/shared/placement:machine/real_time/threads:2");
  EXPECT_EQ(remote.without_strategy(), gil.without_strategy());
  EXPECT_NE(remote.without_strategy(), local.without_strategy());
  EXPECT_NE(local.without_strategy(), unplaced.without_strategy());
  EXPECT_TRUE(unplaced.mem.empty());
  EXPECT_EQ(unplaced.to_string(), "refcount/atomic/shared/placement:machine/threads:2");
  // Run-time knobs come after it, as Google Benchmark appends them.
  EXPECT_EQ(BenchmarkName::parse("refcount/atomic/shared/placement:package/mem:local/repeats:9/real_time/threads:2").mem,
            "local");
}

void expect_rejected(const std::string& name, const std::string& reason_part) {
  try {
    (void)BenchmarkName::parse(name);
    ADD_FAILURE() << "accepted '" << name << "'";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
    EXPECT_NE(msg.find(reason_part), std::string::npos) << msg;
  }
}

TEST(BenchmarkName, JunkIsRefusedWithAReason) {
  expect_rejected("BM_Something/threads:2", "does not start with");
  expect_rejected("refcount/atomic", "expected refcount/");
  expect_rejected("refcount/atomic/shared/real_time/threads:2", "placement");
  expect_rejected("refcount/atomic/shared/placement:l3/real_time/threads:0", "positive integer");
  expect_rejected("refcount/atomic/shared/placement:l3/real_time/threads:two", "positive integer");
  expect_rejected("refcount/atomic/shared/pad/placement:l3/threads:2", "not <key>:<value>");
  expect_rejected("refcount/atomic/shared/placement:l3/pad:64/threads:2", "after placement");
  expect_rejected("refcount/atomic/shared/placement:l3/threads:2/real_time", "last segment");
  expect_rejected("refcount//shared/placement:l3/threads:2", "strategy");
  expect_rejected("refcount/atomic/shared/pad:1/pad:2/placement:l3/threads:2", "twice");
  expect_rejected("refcount/atomic/shared/mem:remote/placement:numa/threads:2", "mem:<m> before placement");
  expect_rejected("refcount/atomic/shared/placement:numa/mem:local/mem:remote/threads:2", "mem given twice");
  expect_rejected("refcount/atomic/shared/placement:numa/real_time/mem:local/threads:2",
                  "after Google Benchmark's suffixes");
  expect_rejected("calibration/overhead/placement:numa/mem:local/real_time/threads:2", "calibration row");
  expect_rejected("refcount/atomic/shared/placement:numa/mem:lo$cal/threads:2", "odd characters");
}

}  // namespace
