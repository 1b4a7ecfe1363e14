// The gate on synthetic runs whose differences are known by construction
// (tests/data/compare/make_run_fixtures.py says what each file is).
#include "compare/compare.hpp"
#include "compare/render.hpp"
#include "fixtures.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace rcbench::compare {
namespace {

const std::string kAtomic = "refcount/atomic/private/placement:single/real_time/threads:1";
const std::string kBiased = "refcount/biased/private/placement:single/real_time/threads:1";
const std::string kPair = "refcount/atomic/shared/placement:l3/real_time/threads:2";
const std::string kAnchor = "refcount/plain/private/placement:single/real_time/threads:1";

// Defaults written out here so tuning config/gate.json cannot change these tests.
GateConfig test_config(Mode mode = Mode::normalized, bool modes = true) {
  GateConfig c;
  c.mode = mode;
  c.use_modes = modes;
  c.min_reps = 9;
  c.alpha = 0.05;
  c.default_threshold_pct = 10;
  return c;
}

CompareResult run(const std::string& base, const std::string& cand, const GateConfig& c = test_config()) {
  return compare_runs(load_compare_input(testing::compare_data(base)),
                      load_compare_input(testing::compare_data(cand)), c);
}

const RowResult& row(const CompareResult& r, const std::string& name) {
  for (const RowResult& x : r.rows)
    if (x.name == name) return x;
  throw std::runtime_error("no row " + name);
}

int count(const CompareResult& r, RowStatus s) {
  int n = 0;
  for (const RowResult& x : r.rows) n += x.status == s;
  return n;
}

TEST(Compare, IdenticalRunsPass) {
  for (Mode m : {Mode::normalized, Mode::absolute}) {
    const CompareResult r = run("base.json", "base.json", test_config(m));
    EXPECT_EQ(r.verdict, Verdict::pass) << to_string(m);
    EXPECT_EQ(count(r, RowStatus::regression), 0);
    EXPECT_DOUBLE_EQ(row(r, kAtomic).change_pct, 0.0);
    EXPECT_EQ(row(r, kAtomic).n_base, 12u);
  }
}

TEST(Compare, RerunUnderSameConditionsPasses) {
  EXPECT_EQ(run("base.json", "rerun.json").verdict, Verdict::pass);
  EXPECT_EQ(run("base.json", "rerun.json", test_config(Mode::absolute)).verdict, Verdict::pass);
}

TEST(Compare, ClearSlowdownFailsInBothModes) {
  for (Mode m : {Mode::normalized, Mode::absolute}) {
    const CompareResult r = run("base.json", "atomic_slower_30pct.json", test_config(m));
    EXPECT_EQ(r.verdict, Verdict::regression) << to_string(m);
    const RowResult& a = row(r, kAtomic);
    EXPECT_EQ(a.status, RowStatus::regression);
    EXPECT_NEAR(a.change_pct, 30, 5);
    EXPECT_LT(a.p_value, 0.001);
    EXPECT_EQ(count(r, RowStatus::regression), 1) << "only atomic was slowed down";
    EXPECT_EQ(exit_code_of(r.verdict), 1);
  }
}

TEST(Compare, NormalizedRowsAreRatiosToTheirGilBaseline) {
  const CompareResult r = run("base.json", "base.json");
  const RowResult& a = row(r, kAtomic);
  EXPECT_EQ(a.normalizer, "refcount/gil_cpython/private/placement:single/real_time/threads:1");
  EXPECT_NEAR(a.base, 2.1 / 0.7, 0.15);  // fixture: atomic 2.1 ns, GIL 0.7 ns per op
  // The GIL row has no baseline of its own: it is divided by the anchor.
  const std::string gil = "refcount/gil_cpython/private/placement:single/real_time/threads:1";
  EXPECT_EQ(row(r, gil).normalizer, kAnchor);
  EXPECT_NEAR(row(r, gil).base, 0.7 / 0.55, 0.1);
  // A row with neither a baseline nor another anchor is the reference: shown, not judged.
  GateConfig c = test_config();
  c.anchor = gil;
  const CompareResult ref = run("base.json", "atomic_slower_30pct.json", c);
  EXPECT_EQ(row(ref, gil).status, RowStatus::reference);
  EXPECT_TRUE(row(ref, gil).normalizer.empty());
  EXPECT_EQ(ref.verdict, Verdict::regression);
}

TEST(Compare, HigherIsBetterCountersFailWhenTheyDrop) {
  GateConfig c = test_config(Mode::absolute);
  c.counter = "ops_per_s_total";
  const CompareResult r = run("base.json", "atomic_slower_30pct.json", c);
  EXPECT_TRUE(r.higher_is_better);
  EXPECT_EQ(row(r, kAtomic).status, RowStatus::regression);
  EXPECT_LT(row(r, kAtomic).change_pct, -20);
}

// Which way is better comes from the run library's counter catalog, never from the
// counter's spelling: a counter rcbench does not write is refused, naming the known ones.
TEST(Compare, ACounterOutsideTheCatalogIsRefusedNotGuessedAt) {
  GateConfig c = test_config(Mode::absolute);
  c.counter = "widgets_per_s";
  try {
    (void)run("base.json", "base.json", c);
    FAIL() << "a counter outside the catalog was compared";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("counter 'widgets_per_s': not one rcbench writes"), std::string::npos) << what;
    EXPECT_NE(what.find("ops_per_s_total"), std::string::npos) << what;
  }
  c.counter = "ns_per_op_total";
  EXPECT_FALSE(run("base.json", "base.json", c).higher_is_better);
}

TEST(Compare, NoiseBelowTheThresholdPasses) {
  const CompareResult r = run("base.json", "atomic_slower_3pct.json");
  EXPECT_EQ(r.verdict, Verdict::pass);
  EXPECT_NE(row(r, kAtomic).status, RowStatus::regression);
}

TEST(Compare, SlowerMachinePassesNormalizedFailsAbsolute) {
  EXPECT_EQ(run("base.json", "machine_slower_30pct.json").verdict, Verdict::pass);
  EXPECT_EQ(run("base.json", "machine_slower_30pct.json", test_config(Mode::absolute)).verdict,
            Verdict::regression);
}

TEST(Compare, MissingBenchmarksAreReportedNotIgnored) {
  const CompareResult r = run("base.json", "missing_biased.json");
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_EQ(row(r, kBiased).status, RowStatus::missing_in_candidate);
  EXPECT_EQ(row(r, "refcount/deferred_64/private/placement:single/real_time/threads:1").status,
            RowStatus::new_in_candidate);
  // The other way round the biased row is new, and the deferred row missing.
  const CompareResult back = run("missing_biased.json", "base.json");
  EXPECT_EQ(back.verdict, Verdict::inconclusive);
  EXPECT_EQ(row(back, kBiased).status, RowStatus::new_in_candidate);
  // A regression elsewhere still fails: it is a finding, the missing row is not.
  EXPECT_EQ(run("missing_biased.json", "atomic_slower_30pct.json").verdict, Verdict::regression);
}

TEST(Compare, TooFewRepetitionsAreInconclusive) {
  const CompareResult r = run("base.json", "three_reps.json");
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_EQ(row(r, kAtomic).status, RowStatus::inconclusive);
  EXPECT_NE(row(r, kAtomic).reason.find("3 candidate"), std::string::npos) << row(r, kAtomic).reason;
  // Without modes the same shortage is reported as such.
  const CompareResult flat = run("base.json", "three_reps.json", test_config(Mode::normalized, false));
  EXPECT_EQ(row(flat, kAtomic).status, RowStatus::inconclusive);
  EXPECT_NE(row(flat, kAtomic).reason.find("need 9"), std::string::npos) << row(flat, kAtomic).reason;
}

TEST(Compare, RunsDifferingOnlyInModeAreNotRegressions) {
  const CompareResult r = run("base.json", "pair_other_mode.json");
  EXPECT_NE(r.verdict, Verdict::regression);
  EXPECT_EQ(row(r, kPair).status, RowStatus::inconclusive);
  EXPECT_NE(row(r, kPair).reason.find("no coherence mode"), std::string::npos) << row(r, kPair).reason;
  ASSERT_EQ(r.modes.size(), 2u);  // same L3 and across CCDs
  // Without modes the same pair of runs raises a false alarm: what the modes are for.
  EXPECT_EQ(row(run("base.json", "pair_other_mode.json", test_config(Mode::normalized, false)), kPair).status,
            RowStatus::regression);
}

TEST(Compare, ARuleCanTurnModesOffForItsRows) {
  GateConfig c = test_config();
  c.rules.push_back({"refcount/.*/threads:2", std::regex("refcount/.*/threads:2"), 10, true, false});
  const CompareResult r = run("base.json", "pair_other_mode.json", c);
  EXPECT_EQ(row(r, kPair).status, RowStatus::regression);  // as --no-modes, for this row only
  EXPECT_EQ(row(r, kPair).mode, -1);
  EXPECT_EQ(row(r, kAtomic).mode, 0);  // other rows still compared within a mode
}

TEST(Compare, SlowdownWithinTheSharedModeFails) {
  const CompareResult r = run("base_24.json", "pair_mixed_modes_slower.json");
  EXPECT_EQ(r.verdict, Verdict::regression);
  const RowResult& p = row(r, kPair);
  EXPECT_EQ(p.status, RowStatus::regression);
  EXPECT_EQ(p.mode, 0);  // the same-L3 mode, the only one both runs have
  EXPECT_EQ(p.n_candidate, 12u);
  EXPECT_NEAR(p.change_pct, 30, 8);
}

TEST(Compare, DisturbedRunIsInconclusiveNotFail) {
  const CompareResult r = run("base.json", "stolen_slower.json");
  EXPECT_TRUE(r.candidate.environment.disturbed);
  ASSERT_TRUE(r.candidate.environment.steal_fraction.has_value());
  EXPECT_NEAR(*r.candidate.environment.steal_fraction, 0.2, 0.01);
  EXPECT_EQ(row(r, kAtomic).status, RowStatus::regression);  // shown...
  EXPECT_EQ(r.verdict, Verdict::inconclusive);                // ...but not a failure
  EXPECT_FALSE(r.base.environment.disturbed);
}

TEST(Compare, MalformedInputIsAnInputError) {
  EXPECT_THROW(load_compare_input(testing::compare_data("malformed_not_json.json")), InputError);
  EXPECT_THROW(load_compare_input(testing::compare_data("malformed_no_benchmarks.json")), InputError);
  EXPECT_THROW(load_compare_input(testing::compare_data("does_not_exist.json")), InputError);
  try {
    load_compare_input(testing::compare_data("report_v1.json"));
    FAIL() << "a report JSON was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("report JSON"), std::string::npos) << e.what();
  }
}

// base.json as text after an edit of its JSON (issue 13's malformed candidates).
template <class Edit>
std::string base_edited(Edit edit) {
  nlohmann::json j = testing::read_json(testing::compare_data("base.json"));
  edit(j);
  return j.dump();
}

std::string input_error_of(const std::string& text) {
  try {
    (void)parse_compare_input(text, "cand.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(Compare, ARepetitionCopiedIsNotCountedAsSamples) {
  // One real repetition of every row, copied to make up the 9 the gate needs: before,
  // this candidate passed against base.json.
  const std::string copied = base_edited([](nlohmann::json& j) {
    nlohmann::json kept = nlohmann::json::array();
    std::set<std::string> seen;
    for (const auto& e : j["benchmarks"])
      if (e["run_type"] == "iteration" && seen.insert(e["run_name"].get<std::string>()).second)
        for (int copy = 0; copy < 9; ++copy) kept.push_back(e);
    j["benchmarks"] = kept;
  });
  const std::string e = input_error_of(copied);
  EXPECT_NE(e.find("cand.json: /benchmarks/1/repetition_index: repetition 0 of"), std::string::npos) << e;
}

TEST(Compare, ARunWithoutItsRcbenchSectionIsRefused) {
  const std::string e = input_error_of(base_edited([](nlohmann::json& j) { j.erase("rcbench"); }));
  EXPECT_NE(e.find("cand.json: /rcbench: no \"rcbench\" object"), std::string::npos) << e;
}

TEST(Compare, AWrongTypeInTheInputIsAnInputError) {
  // "profile": 5 passed the loader and threw nlohmann's type_error inside compare (exit 4).
  const std::string e = input_error_of(base_edited([](nlohmann::json& j) { j["rcbench"]["profile"] = 5; }));
  EXPECT_NE(e.find("cand.json: /rcbench/profile: expected a string"), std::string::npos) << e;
  const std::string nested = input_error_of(base_edited([](nlohmann::json& j) { j["benchmarks"][2]["iterations"] = -1; }));
  EXPECT_NE(nested.find("cand.json: /benchmarks/2/iterations:"), std::string::npos) << nested;
}

TEST(Compare, AnOverflowingNumberIsAnInputError) {
  std::string text = base_edited([](nlohmann::json& j) { j["benchmarks"][3]["real_time"] = "OVERFLOW"; });
  text.replace(text.find(R"("OVERFLOW")"), 10, "1e9999");
  const std::string e = input_error_of(text);  // was nlohmann::json::out_of_range, uncaught
  EXPECT_NE(e.find("cand.json: /benchmarks/3/real_time: the number 1e9999 is out of range"), std::string::npos) << e;
}

TEST(Compare, SeveralRunsPerSidePoolTheirRepetitions) {
  const std::vector<runjson::Run> a{load_compare_input(testing::compare_data("base.json")),
                                    load_compare_input(testing::compare_data("rerun.json"))};
  const std::vector<runjson::Run> b{load_compare_input(testing::compare_data("atomic_slower_30pct.json"))};
  const CompareResult r = compare_runs(a, b, test_config());
  EXPECT_EQ(r.verdict, Verdict::regression);
  EXPECT_EQ(row(r, kAtomic).n_base, 24u);
  EXPECT_EQ(row(r, kAtomic).n_candidate, 12u);
  EXPECT_EQ(compare_runs(a, std::vector<runjson::Run>{a.front()}, test_config()).verdict, Verdict::pass);
  // Missing means missing from every run of the side.
  const std::vector<runjson::Run> m{load_compare_input(testing::compare_data("missing_biased.json")), a.front()};
  EXPECT_EQ(row(compare_runs(a, m, test_config()), kBiased).status, RowStatus::same);
}

TEST(Compare, ARegressionMustHoldRunByRun) {
  const auto load = [](const char* f) { return load_compare_input(testing::compare_data(f)); };
  const std::vector<runjson::Run> a{load("base.json"), load("rerun.json")};
  // One of the candidate's two runs is 30% slower on atomic, the other is not: pooled,
  // the repetitions differ significantly; run by run, they do not all agree.
  const std::vector<runjson::Run> b{load("atomic_slower_30pct.json"), load("atomic_slower_3pct.json")};
  const CompareResult r = compare_runs(a, b, test_config());
  EXPECT_EQ(row(r, kAtomic).status, RowStatus::inconclusive);
  EXPECT_NE(row(r, kAtomic).reason.find("not every run agrees"), std::string::npos) << row(r, kAtomic).reason;
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  // Both candidate runs 30% slower: a regression.
  GateConfig c = test_config();
  c.environment.max_steal_fraction = 1;  // stolen_slower.json is "stolen": not what this test is about
  const std::vector<runjson::Run> slow{load("atomic_slower_30pct.json"), load("stolen_slower.json")};
  EXPECT_EQ(row(compare_runs(a, slow, c), kAtomic).status, RowStatus::regression);
}

TEST(Compare, InjectedSlowdownIsCarriedIntoTheResult) {
  const CompareResult r = run("base.json", "atomic_slower_30pct.json");
  EXPECT_EQ(r.candidate.injected_slowdown["strategy"], "atomic");
  EXPECT_TRUE(r.base.injected_slowdown.is_null());
}

// Issue 16: a run made by an rcbench built with libpython has the real interpreter's
// rows. Here: a fixture run with an eval row beside each gil_cpython row (its figures
// copied), named and described as the harness does (baseline, baseline_real, cpython).
runjson::Run with_real_rows(const std::string& file) {
  const auto real_name = [](std::string name) {
    return name.replace(name.find("/gil_cpython/"), 13, "/cpython311_eval/");
  };
  nlohmann::json j = testing::read_json(testing::compare_data(file));
  nlohmann::json added = nlohmann::json::array();
  for (nlohmann::json e : j["benchmarks"]) {
    if (e["run_name"].get<std::string>().find("/gil_cpython/") == std::string::npos) continue;
    e["name"] = e["run_name"] = real_name(e["run_name"].get<std::string>());
    added.push_back(e);
  }
  for (const nlohmann::json& e : added) j["benchmarks"].push_back(e);
  nlohmann::json metas = nlohmann::json::array();
  for (nlohmann::json m : j["rcbench"]["benchmarks"]) {
    if (m["strategy"] != "gil_cpython") {
      metas.push_back(m);
      continue;
    }
    const std::string gil = m["name"];
    m["baseline_real"] = real_name(gil);
    metas.push_back(m);
    metas.push_back({{"name", real_name(gil)}, {"kind", "refcount"}, {"strategy", "cpython311_eval"},
                     {"workload", m["workload"]}, {"params", m["params"]}, {"placement", m["placement"]},
                     {"threads", m["threads"]}, {"baseline", gil}});
  }
  j["rcbench"]["benchmarks"] = metas;
  j["rcbench"]["cpython"] = {{"available", true}, {"version", "3.11.2"}, {"eval_every_ops", 64}};
  return parse_compare_input(j.dump(), file + " with real rows");
}

TEST(Compare, RealInterpreterRowsAreOrdinaryRows) {
  const std::string real = "refcount/cpython311_eval/private/placement:single/real_time/threads:1";
  const std::string gil = "refcount/gil_cpython/private/placement:single/real_time/threads:1";
  const runjson::Run base = load_compare_input(testing::compare_data("base.json"));
  const runjson::Run base_real = with_real_rows("base.json");

  // Against a gate baseline made without them (today's baselines): new rows, reported,
  // not judged, and the verdict is the other rows'.
  const CompareResult added = compare_runs(base, base_real, test_config());
  EXPECT_EQ(row(added, real).status, RowStatus::new_in_candidate);
  EXPECT_EQ(row(added, kAtomic).status, RowStatus::same);
  EXPECT_EQ(added.verdict, Verdict::pass);
  EXPECT_EQ(compare_runs(base, with_real_rows("atomic_slower_30pct.json"), test_config()).verdict,
            Verdict::regression);

  // Both runs have them: compared like any row, normalized by the GIL row their
  // metadata names as baseline.
  for (Mode m : {Mode::normalized, Mode::absolute}) {
    const CompareResult both = compare_runs(base_real, with_real_rows("rerun.json"), test_config(m));
    EXPECT_EQ(row(both, real).status, RowStatus::same) << to_string(m);
    EXPECT_EQ(row(both, real).n_candidate, 12u);
    EXPECT_EQ(both.verdict, Verdict::pass) << to_string(m);
  }
  EXPECT_EQ(row(compare_runs(base_real, base_real, test_config()), real).normalizer, gil);

  // A candidate built without libpython: the rows are missing, as any missing row is.
  const CompareResult dropped = compare_runs(base_real, base, test_config());
  EXPECT_EQ(row(dropped, real).status, RowStatus::missing_in_candidate);
  EXPECT_EQ(dropped.verdict, Verdict::inconclusive);
}

// Issue 15: a run whose catalog holds strategies no build has ("hazard_ptr", and the GIL
// model as "zz_gil", the GIL baseline by its catalog role). compare reads names and
// roles from the run: the new row is normalized by its GIL baseline and its 30%
// slowdown is caught.
TEST(Compare, AStrategyOnlyTheRunsCatalogKnowsIsComparedLikeAnyOther) {
  const std::string hazard = "refcount/hazard_ptr/private/placement:single/real_time/threads:1";
  const std::string gil = "refcount/zz_gil/private/placement:single/real_time/threads:1";
  const CompareResult same = run("unknown_strategy_base.json", "unknown_strategy_base.json");
  EXPECT_EQ(same.verdict, Verdict::pass);
  EXPECT_EQ(row(same, hazard).normalizer, gil);
  EXPECT_NEAR(row(same, hazard).base, 1.5 / 0.7, 0.15);
  const CompareResult slower = run("unknown_strategy_base.json", "unknown_strategy_slower.json");
  EXPECT_EQ(slower.verdict, Verdict::regression);
  EXPECT_EQ(row(slower, hazard).status, RowStatus::regression);
  EXPECT_NEAR(row(slower, hazard).change_pct, 30, 5);
  // The catalog names no reference op, so there is no anchor: the GIL rows are shown,
  // not judged against a row the run does not have.
  EXPECT_TRUE(slower.config.anchor.empty());
}

}  // namespace
// Issue 14: the timed loop changed between method 1 and method 2.
TEST(Compare, RunsOfDifferentMethodVersionsAreRefused) {
  for (const auto& [b, c] : {std::pair{"base.json", "method2.json"}, std::pair{"method2.json", "base.json"}}) {
    try {
      (void)run(b, c);
      FAIL() << b << " vs " << c << " was compared";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("method version 1"), std::string::npos) << what;
      EXPECT_NE(what.find("method version 2"), std::string::npos) << what;
      EXPECT_NE(what.find("the timed loop changed"), std::string::npos) << what;
      EXPECT_NE(what.find("not comparable"), std::string::npos) << what;
    }
  }
  // Several runs on a side: one of another method is refused too.
  const std::vector<runjson::Run> mixed = {load_compare_input(testing::compare_data("method2.json")),
                                           load_compare_input(testing::compare_data("base.json"))};
  const std::vector<runjson::Run> two = {load_compare_input(testing::compare_data("method2.json"))};
  EXPECT_THROW((void)compare_runs(two, mixed, test_config()), InputError);
  EXPECT_EQ(run("method2.json", "method2.json").verdict, Verdict::pass);
}

TEST(Compare, RepetitionsBelowTheOverlapThresholdAreLeftOutAndSaidSo) {
  // 3 of 12 candidate repetitions of kPair have overlap 0.5 and are twice as slow.
  for (Mode m : {Mode::normalized, Mode::absolute}) {
    const CompareResult r = run("method2.json", "method2_low_overlap.json", test_config(m));
    const RowResult& pair = row(r, kPair);
    EXPECT_EQ(pair.left_out_base, 0u);
    EXPECT_EQ(pair.left_out_candidate, 3u);
    EXPECT_EQ(pair.n_candidate, 9u);
    EXPECT_NE(pair.status, RowStatus::regression) << to_string(m);
    const std::string text = render_terminal(r);
    EXPECT_NE(text.find("0 base / 3 candidate repetitions left out: overlap < 0.99 (not contended"), std::string::npos) << text;
    EXPECT_EQ(to_json(r)["rows"][0].contains("left_out_candidate"), true);
  }
}

// A one-thread repetition whose thread was off its CPU for half its window ran a
// disturbed window: twice as slow, it is left out (not a regression) and said so.
TEST(Compare, OneThreadRepetitionsOffTheirCpuAreLeftOutAndSaidSo) {
  const runjson::Run base = load_compare_input(testing::compare_data("method2.json"));
  runjson::Run cand = base;
  for (runjson::Benchmark& b : cand.benchmarks) {
    if (b.run_name != kAtomic) continue;
    for (std::size_t i = 0; i < 3; ++i) {
      auto& c = b.reps.at(i).counters;
      c["ns_per_op_thread"] *= 2;
      c["cpu_ns_per_op_thread"] = c["ns_per_op_thread"] / 2;
    }
  }
  const CompareResult r = compare_runs({base}, {cand}, test_config(Mode::absolute));
  const RowResult& atomic = row(r, kAtomic);
  EXPECT_EQ(atomic.left_out_base, 0u);
  EXPECT_EQ(atomic.left_out_candidate, 3u);
  EXPECT_NE(atomic.status, RowStatus::regression);
  const std::string text = render_terminal(r);
  EXPECT_NE(text.find("0 base / 3 candidate repetitions left out"), std::string::npos) << text;
  EXPECT_NE(text.find("one thread on its CPU for less than 0.97 of its window"), std::string::npos) << text;
}

}  // namespace rcbench::compare
