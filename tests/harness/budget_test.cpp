// --budget: the duration it reads, and the plan it trims on a 384-PU machine (two
// packages, SMT, many L3s and NUMA nodes). Planning and parsing only, never a timing.
#include "budget.hpp"
#include "limits.hpp"
#include "profile.hpp"
#include "selection.hpp"

#include "rcbench/topology/topology.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace rcbench::harness {
namespace {

double duration(const char* text) { return limits::parse_duration("--budget", text, limits::kMaxBudgetS); }

TEST(BudgetDuration, ReadsSecondsMinutesHoursAndBareSeconds) {
  EXPECT_DOUBLE_EQ(duration("90s"), 90);
  EXPECT_DOUBLE_EQ(duration("20m"), 1200);
  EXPECT_DOUBLE_EQ(duration("1h"), 3600);
  EXPECT_DOUBLE_EQ(duration("1h30m"), 5400);
  EXPECT_DOUBLE_EQ(duration("1m30s"), 90);
  EXPECT_DOUBLE_EQ(duration("1.5h"), 5400);
  EXPECT_DOUBLE_EQ(duration("45"), 45);
}

TEST(BudgetDuration, RefusesJunkZeroAndNegativeNamingTheFlagAndTheReason) {
  const std::map<std::string, std::string> bad = {
      {"", "empty"},
      {"soon", "not a duration"},
      {"m", "not a duration"},
      {"0", "more than 0"},
      {"0m", "more than 0"},
      {"-5m", "negative"},
      {"10x", "unknown unit 'x'"},
      {"1h5", "without its unit"},
      {"5m1h", "out of order"},
      {"1m1m", "out of order"},
      {"1.2.3s", "not a duration"},
      {"200h", "most allowed"},
  };
  for (const auto& [text, reason] : bad) {
    SCOPED_TRACE(text);
    try {
      duration(text.c_str());
      ADD_FAILURE() << "accepted";
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("--budget '" + text + "'"), std::string::npos) << what;
      EXPECT_NE(what.find(reason), std::string::npos) << what;
    }
  }
}

class Budget384 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    topo_ = new topo::Topology(topo::Topology::from_xml(RCBENCH_384_PU_XML));
  }
  static void TearDownTestSuite() {
    delete topo_;
    topo_ = nullptr;
  }
  static std::vector<PlannedBenchmark> plan(const char* profile) {
    return select_plan(find_profile(profile), *topo_, {}).rows;
  }
  static topo::Topology* topo_;
};
topo::Topology* Budget384::topo_ = nullptr;

std::set<std::string> names(const std::vector<PlannedBenchmark>& rows) {
  std::set<std::string> out;
  for (const auto& pb : rows) out.insert(pb.spec.run_name());
  return out;
}

// What every trim must satisfy, whatever the budget.
void expect_a_valid_trim(const std::vector<PlannedBenchmark>& all, const BudgetTrim& t, unsigned reps,
                         double min_time) {
  const BudgetRecord& r = t.record;
  EXPECT_LE(r.estimate_after_s, r.budget_s);
  EXPECT_DOUBLE_EQ(r.estimate_after_s, estimate_seconds(t.kept, reps, min_time));
  EXPECT_DOUBLE_EQ(r.estimate_before_s, estimate_seconds(all, reps, min_time));
  EXPECT_EQ(t.kept.size() + r.dropped_count(), all.size());

  const auto planned = names(all);
  const auto kept = names(t.kept);
  // A kept row never loses what reading it needs.
  for (const auto& pb : t.kept)
    for (const auto& need : rows_needed_to_read(pb))
      if (planned.count(need)) {
        EXPECT_TRUE(kept.count(need)) << pb.spec.run_name() << " lost " << need;
      }

  // The categories dropped from are a suffix of the priority: every row of a category
  // before the first one that lost rows is kept, none after the last kept one's.
  std::map<BudgetCategory, std::pair<std::size_t, std::size_t>> per;  // kept, planned
  for (const auto& pb : all) {
    auto& [k, n] = per[budget_category(pb.spec)];
    ++n;
    if (kept.count(pb.spec.run_name())) ++k;
  }
  bool lost = false;
  for (auto c : kBudgetCategories) {
    const auto [k, n] = per[c];
    SCOPED_TRACE(std::string(to_string(c)));
    if (lost) {
      EXPECT_EQ(k, 0u) << "kept after a category that lost rows";
    }
    if (k < n) lost = true;
  }
  EXPECT_EQ(per[BudgetCategory::single].first, per[BudgetCategory::single].second);
}

// The default profile's estimate on this machine is about two hours (7336 s with libpython, most
// of it the GIL rows' windows of 4 switch intervals per thread: plan.hpp), so five minutes
// trims it and its own estimate leaves it whole (AnAmpleBudget...).
TEST_F(Budget384, DefaultProfileTrimmedToFiveMinutesFitsAndKeepsThePriority) {
  const auto all = plan("default");
  const Profile& p = find_profile("default");
  ASSERT_GT(estimate_seconds(all, p.repetitions, p.min_time_s), 300) << "the test needs a plan to trim";
  const BudgetTrim t = trim_to_budget(all, p.repetitions, p.min_time_s, 300);
  ASSERT_TRUE(t.record.trimmed());
  expect_a_valid_trim(all, t, p.repetitions, p.min_time_s);

  // Every single-thread row stays; pairs stay before any 4+-thread row does.
  bool any_wide = false, all_pairs = true;
  const auto kept = names(t.kept);
  for (const auto& pb : all) {
    const bool k = kept.count(pb.spec.run_name()) > 0;
    if (pb.spec.threads() == 1) {
      EXPECT_TRUE(k) << pb.spec.run_name();
    }
    if (pb.spec.threads() >= 4 && k) any_wide = true;
    if (budget_category(pb.spec) == BudgetCategory::pairs && !k) all_pairs = false;
  }
  if (any_wide) {
    EXPECT_TRUE(all_pairs);
  }
}

TEST_F(Budget384, FullProfileDropsMatrixCellsBeforePairRows) {
  const auto all = plan("full");
  const Profile& p = find_profile("full");
  const BudgetTrim t = trim_to_budget(all, p.repetitions, p.min_time_s, 1200);
  expect_a_valid_trim(all, t, p.repetitions, p.min_time_s);
  const auto kept = names(t.kept);
  std::size_t cells = 0, pairs_kept = 0;
  for (const auto& pb : all) {
    if (pb.spec.matrix_cell) {
      ++cells;
      EXPECT_FALSE(kept.count(pb.spec.run_name())) << "a matrix cell kept while pair rows were dropped";
    }
    if (budget_category(pb.spec) == BudgetCategory::pairs && kept.count(pb.spec.run_name())) ++pairs_kept;
  }
  EXPECT_GT(cells, 0u);
  EXPECT_GT(pairs_kept, 0u) << "20 minutes holds some pairs";
  ASSERT_FALSE(t.record.dropped.empty());
  EXPECT_EQ(t.record.dropped.back().category, BudgetCategory::matrix);
  EXPECT_EQ(t.record.dropped.back().names.size(), cells);
}

TEST_F(Budget384, SeveralBudgetsAllFitAndKeepBaselines) {
  const auto all = plan("default");
  const Profile& p = find_profile("default");
  std::size_t previous = 0;
  for (double budget : {400.0, 600.0, 900.0, 1800.0, 3000.0}) {
    SCOPED_TRACE(budget);
    const BudgetTrim t = trim_to_budget(all, p.repetitions, p.min_time_s, budget);
    expect_a_valid_trim(all, t, p.repetitions, p.min_time_s);
    EXPECT_GE(t.kept.size(), previous) << "more time never keeps fewer rows";
    previous = t.kept.size();
  }
}

TEST_F(Budget384, AnAmpleBudgetReturnsThePlanUnchanged) {
  const auto all = plan("default");
  const Profile& p = find_profile("default");
  const BudgetTrim t = trim_to_budget(all, p.repetitions, p.min_time_s, estimate_seconds(all, p.repetitions, p.min_time_s));
  EXPECT_FALSE(t.record.trimmed());
  ASSERT_EQ(t.kept.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(t.kept[i].spec.run_name(), all[i].spec.run_name());
    EXPECT_EQ(t.kept[i].baseline, all[i].baseline);
    EXPECT_EQ(t.kept[i].role, all[i].role);
  }
  EXPECT_DOUBLE_EQ(t.record.estimate_after_s, t.record.estimate_before_s);
}

TEST_F(Budget384, ABudgetBelowTheSingleThreadRowsIsAnErrorThatSaysTheMinimum) {
  const auto all = plan("default");
  const Profile& p = find_profile("default");
  double single = 0;
  for (const auto& pb : all)
    if (budget_category(pb.spec) == BudgetCategory::single)
      single += estimate_row_seconds(pb.spec, p.repetitions, p.min_time_s);
  try {
    trim_to_budget(all, p.repetitions, p.min_time_s, single / 2);
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("--budget"), std::string::npos) << what;
    EXPECT_NE(what.find("need about " + std::to_string(static_cast<long>(single + 0.5)) + " s"), std::string::npos)
        << what;
  }
  // Exactly enough for them: only they stay.
  const BudgetTrim t = trim_to_budget(all, p.repetitions, p.min_time_s, single + 1e-6);
  for (const auto& pb : t.kept) EXPECT_EQ(budget_category(pb.spec), BudgetCategory::single) << pb.spec.run_name();
}

}  // namespace
}  // namespace rcbench::harness
