// build_report: ratios to the baselines, summaries, flags and the dominant-mode choice,
// on hand-made runs whose numbers are stated here.
#include "report/report_model.hpp"
#include "report/tables.hpp"
#include "run_builder.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace {

using namespace rcbench;
using rcbench::testing::BenchSpec;
using rcbench::testing::Counters;
using rcbench::testing::make_run;
using rcbench::testing::rep;

const std::string kAtomic = "refcount/atomic/shared/placement:l3/real_time/threads:2";
const std::string kGil = "refcount/gil_cpython/shared/placement:l3/real_time/threads:2";
const std::string kGilLock = "refcount/gil_lock/shared/placement:l3/real_time/threads:2";
const std::string kPlainSingle = "refcount/plain/private/placement:single/real_time/threads:1";
const std::string kGilSingle = "refcount/gil_cpython/private/placement:single/real_time/threads:1";

// Three identical repetitions: the median is the value.
std::vector<Counters> three(double ns_thread, double ns_total) {
  return {rep(ns_thread, ns_total), rep(ns_thread, ns_total), rep(ns_thread, ns_total)};
}

std::vector<BenchSpec> basic_run() {
  return {{kPlainSingle, three(0.5, 0.5)}, {kGilSingle, three(0.6, 0.6)},
          {kAtomic, three(4.0, 2.0)},      {kGil, three(10.0, 10.0)},  // serialized: total = per thread
          {kGilLock, three(100.0, 50.0)}};
}

TEST(ReportBuild, RatiosUseTotalNsPerOpForTheGilAndPerThreadForPlain) {
  const report::Report r = report::build_report(make_run(basic_run()));
  const report::Record* atomic = r.find(kAtomic);
  ASSERT_NE(atomic, nullptr);
  EXPECT_EQ(atomic->baseline, kGil);
  EXPECT_EQ(atomic->baseline_lock, kGilLock);
  ASSERT_TRUE(atomic->ratio_to_gil);
  EXPECT_DOUBLE_EQ(*atomic->ratio_to_gil, 0.2);        // 2 ns/op total vs the GIL's 10
  EXPECT_DOUBLE_EQ(*atomic->ratio_to_gil_lock, 0.04);  // vs 50
  EXPECT_DOUBLE_EQ(*atomic->ratio_to_plain_single, 8.0);  // 4 ns/op per thread vs 0.5

  const report::Record* gil = r.find(kGil);
  EXPECT_EQ(gil->baseline, kGil);
  EXPECT_DOUBLE_EQ(*gil->ratio_to_gil, 1.0);
  EXPECT_DOUBLE_EQ(*r.find(kGilLock)->ratio_to_gil, 5.0);
}

TEST(ReportBuild, SummariesCarryUnitScopeAndSpread) {
  auto specs = basic_run();
  specs[2].reps = {rep(3, 1.5), rep(1, 0.5), rep(5, 2.5), rep(2, 1.0), rep(4, 2.0)};
  const report::Report r = report::build_report(make_run(specs));
  const report::Record* atomic = r.find(kAtomic);
  ASSERT_TRUE(atomic->ns_per_op_thread);
  const auto& f = *atomic->ns_per_op_thread;
  EXPECT_EQ(f.unit, "ns/op");
  EXPECT_EQ(f.scope, "per thread");
  EXPECT_EQ(f.summary.n, 5u);
  EXPECT_DOUBLE_EQ(f.summary.median, 3.0);
  EXPECT_DOUBLE_EQ(f.summary.min, 1.0);
  EXPECT_DOUBLE_EQ(f.summary.p10, 1.4);
  EXPECT_DOUBLE_EQ(f.summary.p90, 4.6);
  EXPECT_EQ(atomic->ns_per_op_total->scope, "total");
  EXPECT_EQ(atomic->ops_per_s_total->unit, "ops/s");
  EXPECT_DOUBLE_EQ(*atomic->ratio_to_gil, 0.15);  // median total 1.5 / 10
  EXPECT_EQ(atomic->figures_from, "all 5 reps");
}

TEST(ReportBuild, AGilRowWhoseThreadsDidNotAllWorkSaysSo) {
  auto specs = basic_run();
  specs[3].reps = three(10.0, 10.0);
  for (auto& c : specs[3].reps) c["threads_worked"] = 2;  // both threads of kGil had a turn
  specs[3].reps[1]["threads_worked"] = 1;                 // but not in repetition 1
  for (auto& c : specs[2].reps) c["threads_worked"] = 2;  // atomic: every thread, always
  const report::Report r = report::build_report(make_run(specs));
  EXPECT_TRUE(r.find(kGil)->has_flag("idle_threads"));
  EXPECT_FALSE(r.find(kAtomic)->has_flag("idle_threads"));
  EXPECT_FALSE(r.find(kPlainSingle)->has_flag("idle_threads"));  // no counter: older runs
  bool said = false;
  for (const std::string& c : r.caveats) said = said || c.starts_with("1 row had repetitions in which not every thread");
  EXPECT_TRUE(said);
}

TEST(ReportBuild, AggregatesAreIgnored) {
  // run_builder adds a "_mean" aggregate at 1e9 ns/op to every benchmark.
  const report::Report r = report::build_report(make_run(basic_run()));
  EXPECT_DOUBLE_EQ(r.find(kAtomic)->ns_per_op_thread->summary.max, 4.0);
  EXPECT_EQ(r.find(kAtomic)->reps_total, 3u);
}

TEST(ReportBuild, FlagsNameWhatMakesAFigureSuspect) {
  auto specs = basic_run();
  specs[2].reps = {rep(4, 2), rep(6, 3), rep(4.2, 2.1)};  // cv about 0.23
  specs[2].reps[1]["migrations"] = 2;
  specs[2].reps[0]["t0_pu"] = 0;
  specs[2].reps[0]["t1_pu"] = 5;  // planned on PUs 0 and 1
  specs[2].meta = {{"pus", {0, 1}}, {"placement_class", "l3"}};
  specs[3].reps = {rep(20, 10), rep(20, 10)};  // two repetitions only
  specs[3].errors = {"pinning failed"};
  const report::Report r = report::build_report(make_run(specs, /*is_virtual=*/true));

  const report::Record* atomic = r.find(kAtomic);
  EXPECT_TRUE(atomic->has_flag("high_variance"));
  EXPECT_TRUE(atomic->has_flag("migrated"));
  EXPECT_TRUE(atomic->has_flag("unpinned"));
  EXPECT_TRUE(atomic->has_flag("virtual_machine"));
  EXPECT_FALSE(atomic->has_flag("few_repetitions"));
  EXPECT_EQ(atomic->migrations->total, 2.0);

  const report::Record* gil = r.find(kGil);
  EXPECT_TRUE(gil->has_flag("few_repetitions"));
  EXPECT_TRUE(gil->has_flag("failed_repetitions"));
  EXPECT_EQ(gil->reps_failed, 1u);
  EXPECT_FALSE(gil->has_flag("high_variance"));
  EXPECT_FALSE(gil->has_flag("migrated"));
  EXPECT_FALSE(gil->has_flag("unpinned"));

  const report::Report calm = report::build_report(make_run(basic_run()));
  EXPECT_TRUE(calm.find(kAtomic)->flags.empty());
  bool said = false;
  for (const std::string& c : r.caveats) said = said || c.find("1 of 5 records flagged high_variance") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(ReportBuild, DominantModeRepetitionsMakeTheFigures) {
  auto specs = basic_run();
  // 9 repetitions: 7 in the ~50 ns mode at 10 ns/op, 2 in the ~240 ns mode at 6 ns/op.
  std::vector<Counters> reps;
  for (int i = 0; i < 9; ++i) {
    const bool slow_line = i == 2 || i == 6;
    Counters c = rep(slow_line ? 6.0 : 10.0 + 0.1 * i, slow_line ? 3.0 : 5.0);
    c["probe_before_ns"] = slow_line ? 240.0 + i : 50.0 + i;
    c["probe_after_ns"] = slow_line ? 238.0 + i : 51.0 + i;
    reps.push_back(c);
  }
  specs[2].reps = reps;
  const report::Report r = report::build_report(make_run(specs));
  const report::Record* atomic = r.find(kAtomic);
  ASSERT_TRUE(atomic->modes);
  EXPECT_EQ(atomic->modes->dominant_mode, 0);
  ASSERT_EQ(atomic->modes->modes.size(), 2u);
  EXPECT_EQ(atomic->modes->modes[1].reps, (std::vector<int>{2, 6}));
  EXPECT_TRUE(atomic->has_flag("multimodal"));
  EXPECT_EQ(atomic->reps_used, (std::vector<int>{0, 1, 3, 4, 5, 7, 8}));
  EXPECT_NE(atomic->figures_from.find("dominant mode 0"), std::string::npos) << atomic->figures_from;
  EXPECT_NE(atomic->figures_from.find("7 of 9 reps"), std::string::npos) << atomic->figures_from;
  EXPECT_EQ(atomic->ns_per_op_thread->summary.n, 7u);
  EXPECT_DOUBLE_EQ(atomic->ns_per_op_thread->summary.min, 10.0);  // the 6 ns/op reps are out
  EXPECT_DOUBLE_EQ(atomic->ns_per_op_thread->summary.median, 10.4);
  EXPECT_DOUBLE_EQ(*atomic->ratio_to_gil, 0.5);

  ASSERT_EQ(r.modes_seen.size(), 1u);
  EXPECT_EQ(r.modes_seen[0].modes.size(), 2u);
  EXPECT_EQ(r.modes_seen[0].modes[1].reps, 2u);
}

TEST(ReportBuild, UnstableRepetitionsAreLeftOutAndTheBaselineModeIsCompared) {
  auto specs = basic_run();
  // The atomic row: rep 1 moved (before 50 ns, after 240 ns); the others ran slow-line.
  specs[2].reps = {rep(7, 3.5), rep(9, 4.5), rep(7, 3.5), rep(7.2, 3.6)};
  const double before[] = {241, 50, 243, 239};
  const double after[] = {240, 242, 238, 241};
  for (std::size_t i = 0; i < 4; ++i) {
    specs[2].reps[i]["probe_before_ns"] = before[i];
    specs[2].reps[i]["probe_after_ns"] = after[i];
  }
  // Its GIL baseline ran entirely in the fast mode.
  for (auto& c : specs[3].reps) {
    c["probe_before_ns"] = 52;
    c["probe_after_ns"] = 53;
  }
  const report::Report r = report::build_report(make_run(specs));
  const report::Record* atomic = r.find(kAtomic);
  EXPECT_EQ(atomic->modes->unstable_reps, (std::vector<int>{1}));
  EXPECT_TRUE(atomic->has_flag("unstable_mode"));
  EXPECT_FALSE(atomic->has_flag("multimodal"));
  EXPECT_EQ(atomic->reps_used, (std::vector<int>{0, 2, 3}));
  EXPECT_DOUBLE_EQ(atomic->ns_per_op_thread->summary.max, 7.2);
  EXPECT_TRUE(atomic->has_flag("baseline_other_mode"));
  EXPECT_FALSE(r.find(kGil)->has_flag("baseline_other_mode"));
}

TEST(ReportBuild, PapiCountersArePerOp) {
  auto specs = basic_run();
  for (auto& c : specs[2].reps) c["papi:RETIRED_LOCK_INSTRUCTIONS"] = 2.0 * c["ops"];
  const report::Report r = report::build_report(make_run(specs));
  const auto& papi = r.find(kAtomic)->papi_per_op;
  ASSERT_EQ(papi.count("RETIRED_LOCK_INSTRUCTIONS"), 1u);
  EXPECT_DOUBLE_EQ(papi.at("RETIRED_LOCK_INSTRUCTIONS").summary.median, 2.0);
  EXPECT_EQ(papi.at("RETIRED_LOCK_INSTRUCTIONS").unit, "events/op");
  EXPECT_TRUE(r.find(kGil)->papi_per_op.empty());
}

TEST(ReportBuild, MissingGilBaselineIsAnInputError) {
  auto specs = basic_run();
  specs.erase(specs.begin() + 3);  // the gil_cpython l3 row
  try {
    (void)report::build_report(make_run(specs));
    FAIL() << "a row without its GIL baseline was reported";
  } catch (const runjson::InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("no GIL baseline"), std::string::npos) << msg;
    EXPECT_NE(msg.find(kAtomic), std::string::npos) << msg;
    EXPECT_NE(msg.find(kGilLock), std::string::npos) << "gil_lock rows need gil_cpython too: " << msg;
  }
}

// `rcbench run --no-baselines` leaves the GIL rows out on purpose: the report carries
// no ratio for those rows and says why, instead of refusing the run.
TEST(ReportBuild, RunWithoutBaselinesByChoiceHasNoRatios) {
  auto specs = basic_run();
  specs.erase(specs.begin() + 3);  // the gil_cpython l3 row
  nlohmann::json doc = rcbench::testing::run_json(specs, false);
  doc["rcbench"]["no_baselines"] = true;
  const report::Report r = report::build_report(runjson::parse_run(doc.dump(), "test-run.json"));
  const report::Record* atomic = r.find(kAtomic);
  ASSERT_NE(atomic, nullptr);
  EXPECT_FALSE(atomic->ratio_to_gil.has_value());
  EXPECT_TRUE(atomic->baseline.empty());
  ASSERT_FALSE(r.caveats.empty());
  EXPECT_NE(r.caveats.front().find("--no-baselines"), std::string::npos) << r.caveats.front();
}

TEST(ReportBuild, BaselineNamedInMetadataMustExist) {
  auto specs = basic_run();
  specs[2].meta = {{"baseline", "refcount/gil_cpython/shared/placement:numa/real_time/threads:2"}};
  try {
    (void)report::build_report(make_run(specs));
    FAIL() << "accepted a baseline that is not in the run";
  } catch (const runjson::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("placement:numa"), std::string::npos) << e.what();
  }
}

TEST(ReportBuild, CalibrationRowsAreNotRecords) {
  auto specs = basic_run();
  specs.push_back({"calibration/overhead/placement:single/real_time/threads:1", three(0.3, 0.3)});
  specs.push_back({"calibration/pingpong/placement:l3/real_time/threads:2",
                   {{{"pingpong_ns", 56.0}}, {{"pingpong_ns", 54.0}}, {{"pingpong_ns", 240.0}}},
                   {{"placement_class", "l3"}, {"pus", {0, 1}}}});
  const report::Report r = report::build_report(make_run(specs));
  EXPECT_EQ(r.records.size(), 5u);
  ASSERT_EQ(r.calibration.overhead.size(), 1u);
  EXPECT_DOUBLE_EQ(r.calibration.overhead[0].ns_per_op.summary.median, 0.3);
  ASSERT_EQ(r.calibration.pingpong.size(), 1u);
  EXPECT_DOUBLE_EQ(r.calibration.pingpong[0].one_way_ns.summary.min, 54.0);
  EXPECT_EQ(r.calibration.pingpong[0].placement_class, "l3");
}

TEST(ReportBuild, SyntheticTwoVcpuFixture) {
  const auto run = runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "two-vcpu-synthetic.json");
  const report::Report r = report::build_report(run);
  EXPECT_EQ(r.records.size(), 44u);
  // atomic/shared/l3: reps 0-2 in the ~55 ns mode (10.0, 9.8, 10.3 ns/op), rep 3 in the
  // ~240 ns mode, rep 4 unstable. Its baseline (gil_cpython, serialized) is 1.3 ns/op total.
  const report::Record* atomic = r.find(kAtomic);
  ASSERT_NE(atomic, nullptr);
  EXPECT_EQ(atomic->reps_used, (std::vector<int>{0, 1, 2}));
  EXPECT_DOUBLE_EQ(atomic->ns_per_op_thread->summary.median, 10.0);
  EXPECT_NEAR(*atomic->ratio_to_gil, 5.0 / 1.3, 1e-12);
  EXPECT_TRUE(r.find("refcount/plain/mixed/shared_pct:10/placement:l3/real_time/threads:2")->has_flag("migrated"));
  const report::Record* plain_shared = r.find("refcount/plain/shared/placement:l3/real_time/threads:2");
  EXPECT_DOUBLE_EQ(plain_shared->drift_per_op->summary.median, 0.4);  // method 1: drift, not lost updates
  EXPECT_FALSE(plain_shared->lost_updates_per_increment.has_value());
  EXPECT_EQ(r.perf["unavailable"].size(), 3u);
  EXPECT_TRUE(r.calibration.matrix.is_object());
}

// Issue 14 on the method-2 fixture (tests/data/runs/make_two_vcpu_synthetic.py designs it).
TEST(ReportBuild, MethodTwoFixtureFlagsCorrectsAndNamesTheNewRows) {
  const auto run = runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "two-vcpu-method2.json");
  const report::Report r = report::build_report(run);
  EXPECT_EQ(r.method_version, 2);

  // Overlaps 1.0, 0.995, 0.98, 1.0, 0.999: only repetition 2 is left out, and says why.
  const report::Record* atomic = r.find("refcount/atomic/private/placement:l3/real_time/threads:2");
  ASSERT_NE(atomic, nullptr);
  EXPECT_EQ(atomic->reps_used, (std::vector<int>{0, 1, 3, 4}));
  ASSERT_EQ(atomic->reps_left_out.size(), 1u);
  EXPECT_EQ(atomic->reps_left_out[0].rep, 2);
  EXPECT_NE(atomic->reps_left_out[0].reason.find("overlap 0.98 < 0.99"), std::string::npos);
  EXPECT_TRUE(atomic->has_flag("reps_left_out"));
  EXPECT_DOUBLE_EQ(atomic->ns_per_op_thread->summary.median, 2.1 * (0.98 + 1.00) / 2);  // jitter without 1.04
  EXPECT_EQ(atomic->figures_from, "4 of 5 reps (1 left out: " + runjson::left_out_rules() + ")");

  // Every repetition flagged: no figure, never one from flagged data.
  const report::Record* none = r.find("refcount/deferred_64/private/placement:l3/real_time/threads:2");
  ASSERT_NE(none, nullptr);
  EXPECT_FALSE(none->ns_per_op_thread.has_value());
  EXPECT_FALSE(none->ns_per_op_total.has_value());
  EXPECT_FALSE(none->ratio_to_gil.has_value());
  EXPECT_TRUE(none->has_flag("no_figure"));
  EXPECT_EQ(none->figures_from.rfind("no figure: all 5 reps left out", 0), 0u) << none->figures_from;

  // Corrected = raw median - the null row's median (single: 0.28; l3 x2: 0.30 per thread, 0.15 total).
  const report::Record* plain = r.find("refcount/plain/private/placement:single/real_time/threads:1");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->correction.null_row, "calibration/overhead/placement:single/real_time/threads:1");
  EXPECT_EQ(plain->correction.matched_on, "threads and placement");
  EXPECT_NEAR(*plain->correction.ns_per_op_thread, 0.5 - 0.28, 1e-12);
  EXPECT_NEAR(*plain->correction.cpu_ns_per_op_thread, 0.5 * 0.98 - 0.28 * 0.98, 1e-12);
  EXPECT_DOUBLE_EQ(plain->correction.null_ns_per_op_thread->summary.p90, 0.288);
  // The ratio to the GIL divides corrected by corrected (gil_cpython single: 0.6 raw).
  EXPECT_EQ(plain->ratio_to_gil_basis, "corrected");
  EXPECT_NEAR(*plain->ratio_to_gil, (0.5 - 0.28) / (0.6 - 0.28), 1e-12);
  EXPECT_NEAR(*atomic->correction.ns_per_op_total, atomic->ns_per_op_total->summary.median - 0.15, 1e-12);

  // The foreign row is read against the private (owner) row and its GIL baseline.
  const report::Record* foreign = r.find("refcount/biased/foreign/placement:single/real_time/threads:1");
  ASSERT_NE(foreign, nullptr);
  EXPECT_DOUBLE_EQ(foreign->ns_per_op_thread->summary.median, 3.2);
  EXPECT_EQ(foreign->baseline, "refcount/gil_cpython/private/placement:single/real_time/threads:1");

  // Lost updates are counted exactly in method 2; the drift of method 1 is absent.
  const report::Record* plain_shared = r.find("refcount/plain/shared/placement:l3/real_time/threads:2");
  EXPECT_DOUBLE_EQ(plain_shared->lost_updates_per_increment->summary.median, 0.25);
  EXPECT_DOUBLE_EQ(plain_shared->premature_last_per_op->summary.median, 0.01);
  EXPECT_FALSE(plain_shared->drift_per_op.has_value());

  // Both ping-pong methods, and the matrix cells apart.
  ASSERT_EQ(r.calibration.pingpong.size(), 4u);
  EXPECT_EQ(r.calibration.pingpong[0].method, "two_line");
  EXPECT_EQ(r.calibration.pingpong[1].method, "one_line_cas");
  EXPECT_DOUBLE_EQ(r.calibration.pingpong[1].one_way_ns.summary.min, 69.8);
  EXPECT_EQ(r.calibration.pingpong[2].pair, "0-1");
  EXPECT_EQ(r.calibration.overhead.size(), 2u);
}

TEST(ReportBuild, WithoutANullRowFiguresStayRawAndSaySo) {
  // The method-1 fixture has a null row for one thread only: 2-thread rows are raw.
  const auto run = runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "two-vcpu-synthetic.json");
  const report::Report r = report::build_report(run);
  EXPECT_EQ(r.method_version, 1);
  const report::Record* pair = r.find("refcount/atomic/private/placement:l3/real_time/threads:2");
  EXPECT_FALSE(pair->correction.applied());
  EXPECT_EQ(pair->correction.note, "not corrected: no null row in this run");
  EXPECT_EQ(pair->ratio_to_gil_basis, "raw");
  // A null row with the same threads but another placement still serves, and says so.
  const report::Report other = report::build_report(make_run({
      {"refcount/gil_cpython/private/placement:smt/real_time/threads:2", {rep(4, 2), rep(4, 2), rep(4, 2)}},
      {"calibration/overhead/placement:l3/real_time/threads:2", {rep(1, 0.5), rep(1, 0.5), rep(1, 0.5)}},
  }));
  EXPECT_EQ(other.records[0].correction.matched_on.rfind("threads (placement smt", 0), 0u);
  EXPECT_NEAR(*other.records[0].correction.ns_per_op_thread, 3.0, 1e-12);
}

// Issue 16: the real CPython interpreter's rows (tests/data/runs/make_two_vcpu_cpython.py
// designs the fixture's figures).
const std::string kRealSingle = "refcount/cpython311_eval/private/placement:single/real_time/threads:1";
const std::string kRealShared = "refcount/cpython311_eval/shared/placement:l3/real_time/threads:2";

report::Report cpython_fixture_report() {
  return report::build_report(runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" /
                                                "two-vcpu-cpython.json"));
}

TEST(ReportBuild, RatioToRealIsTheGilRatioAgainstTheRealEvalRow) {
  const report::Report r = cpython_fixture_report();
  // single x1 has a null row (0.2 ns/op): corrected on both sides, as ratio_to_gil is.
  const report::Record* gil_single = r.find(kGilSingle);
  ASSERT_NE(gil_single, nullptr);
  EXPECT_EQ(gil_single->baseline_real, kRealSingle);
  EXPECT_EQ(gil_single->ratio_to_real_basis, "corrected");
  EXPECT_NEAR(*gil_single->ratio_to_real, (0.6 - 0.2) / (1.4 - 0.2), 1e-12);  // model / real
  // l3 x2 has none: raw on both sides.
  const report::Record* gil_shared = r.find(kGil);
  EXPECT_EQ(gil_shared->ratio_to_real_basis, "raw");
  EXPECT_NEAR(*gil_shared->ratio_to_real, 1.3 / 3.9, 1e-12);
  const report::Record* atomic = r.find(kAtomic);
  EXPECT_EQ(atomic->baseline_real, kRealShared);
  EXPECT_NEAR(*atomic->ratio_to_real, 5.0 / 3.9, 1e-12);
  EXPECT_EQ(atomic->ratio_to_real_basis, atomic->ratio_to_gil_basis);

  // The eval row is its own real baseline (1x), as gil_cpython is its own GIL baseline;
  // the release row is read against its eval sibling and, like any row, the GIL model.
  const report::Record* eval = r.find(kRealShared);
  EXPECT_TRUE(eval->is_real_baseline());
  EXPECT_DOUBLE_EQ(*eval->ratio_to_real, 1.0);
  EXPECT_EQ(eval->baseline, kGil);
  EXPECT_NEAR(*eval->ratio_to_gil, 3.9 / 1.3, 1e-12);
  const report::Record* release = r.find("refcount/cpython311_release/shared/placement:l3/real_time/threads:2");
  EXPECT_EQ(release->baseline_real, kRealShared);
  EXPECT_NEAR(*release->ratio_to_real, 12.0 / 3.9, 1e-12);
  EXPECT_EQ(r.find(kGilLock)->baseline_real, kRealShared);

  // No real row runs for false_sharing: no real baseline, no ratio.
  const report::Record* padded = r.find("refcount/atomic/false_sharing/pad:64/placement:l3/real_time/threads:2");
  ASSERT_NE(padded, nullptr);
  EXPECT_TRUE(padded->baseline_real.empty());
  EXPECT_FALSE(padded->ratio_to_real.has_value());
  EXPECT_TRUE(padded->ratio_to_real_basis.empty());

  ASSERT_TRUE(r.cpython.is_object());
  EXPECT_EQ(r.cpython.at("eval_every_ops"), 64);
  const nlohmann::json json = report::to_json(r);
  EXPECT_EQ(json.at("cpython").at("pkg_config"), "python-3.11-embed");
  for (const nlohmann::json& rec : json.at("records")) {
    if (rec.at("run_name") != kGil) continue;
    EXPECT_EQ(rec.at("baseline_real"), kRealShared);
    EXPECT_NEAR(rec.at("ratio_to_real").get<double>(), 1.3 / 3.9, 1e-12);
    EXPECT_EQ(rec.at("ratio_basis").at("ratio_to_real"), "raw");
  }
}

// A run whose metadata names no baseline_real: the eval row is found by the role the
// run's catalog gives its strategy, whatever the strategy is called (here a Python
// version this code has never seen).
TEST(ReportBuild, RealBaselineIsFoundByItsCatalogRoleWhenTheRunNamesNone) {
  const std::string eval = "refcount/cpython313_eval/shared/placement:l3/real_time/threads:2";
  const std::string release = "refcount/cpython313_release/shared/placement:l3/real_time/threads:2";
  auto specs = basic_run();
  specs.push_back({eval, three(8.0, 8.0)});
  specs.push_back({release, three(16.0, 16.0)});
  nlohmann::json catalog = rcbench::testing::test_catalog();
  catalog["strategies"].push_back(rcbench::testing::strategy_entry("cpython313_eval", 1000, "real", false, nullptr, true));
  catalog["strategies"].push_back(rcbench::testing::strategy_entry("cpython313_release", 1010, nullptr, false, nullptr, true));
  const report::Report r = report::build_report(make_run(specs, false, {{"catalog", catalog}}));
  EXPECT_EQ(r.find(kAtomic)->baseline_real, eval);
  EXPECT_DOUBLE_EQ(*r.find(kAtomic)->ratio_to_real, 0.25);  // 2 ns/op total vs 8
  EXPECT_DOUBLE_EQ(*r.find(kGil)->ratio_to_real, 1.25);      // model 10 vs real 8
  EXPECT_EQ(r.find(release)->baseline_real, eval);
  EXPECT_DOUBLE_EQ(*r.find(release)->ratio_to_real, 2.0);
  EXPECT_TRUE(r.find(kGilSingle)->baseline_real.empty()) << "no real row for private/single";
  EXPECT_TRUE(r.cpython.is_null());

}

TEST(ReportBuild, RealBaselineNamedInMetadataMustExist) {
  auto specs = basic_run();
  specs[2].meta = {{"baseline_real", "refcount/cpython311_eval/shared/placement:l3/real_time/threads:2"}};
  try {
    (void)report::build_report(make_run(specs));
    FAIL() << "accepted a real baseline that is not in the run";
  } catch (const runjson::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("its baseline_real 'refcount/cpython311_eval/"), std::string::npos)
        << e.what();
  }
}

TEST(ReportBuild, RunsWithoutRealRowsHaveNoRealBaseline) {
  const report::Report r = report::build_report(make_run(basic_run()));
  for (const report::Record& rec : r.records) {
    EXPECT_TRUE(rec.baseline_real.empty()) << rec.run_name;
    EXPECT_FALSE(rec.ratio_to_real.has_value()) << rec.run_name;
  }
  EXPECT_TRUE(r.cpython.is_null());
  EXPECT_TRUE(report::to_json(r).at("records").at(0).at("baseline_real").is_null());
}

// Issue 15: a run whose catalog holds strategies no build has ("hazard_ptr", and the GIL
// model as "zz_gil", the GIL baseline by its catalog role; tests/data/compare/
// make_run_fixtures.py). The report takes names, order and roles from the run's catalog.
TEST(ReportBuild, AStrategyOnlyTheRunsCatalogKnowsIsReportedLikeAnyOther) {
  const report::Report r = report::build_report(
      runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "compare" / "unknown_strategy_base.json"));
  EXPECT_EQ(r.catalog.source(), runjson::CatalogSource::run);
  const std::string hazard = "refcount/hazard_ptr/shared/placement:l3/real_time/threads:2";
  const std::string gil = "refcount/zz_gil/shared/placement:l3/real_time/threads:2";
  ASSERT_NE(r.find(hazard), nullptr);
  EXPECT_EQ(r.find(hazard)->baseline, gil);
  EXPECT_TRUE(r.find(gil)->is_gil_baseline());
  ASSERT_TRUE(r.find(hazard)->ratio_to_gil.has_value());
  EXPECT_NEAR(*r.find(hazard)->ratio_to_gil, 12.0 / 30.0, 0.05);  // total ns/op, both 2 threads
  // No reference op in this catalog: no ratio to it, rather than one to a guessed row.
  EXPECT_FALSE(r.find(hazard)->ratio_to_plain_single.has_value());
  // Tables: the catalog's order (hazard_ptr 5, zz_gil 900) and the GIL model's name.
  const std::string md = report::render_markdown(r, {});
  EXPECT_LT(md.find("| hazard_ptr"), md.find("| zz_gil")) << md;
  EXPECT_NE(md.find("the ratio to the zz_gil baseline"), std::string::npos) << md;
  EXPECT_EQ(report::to_json(r)["catalog"]["strategies"][0]["name"], "hazard_ptr");
}

}  // namespace
