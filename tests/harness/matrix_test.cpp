// `rcbench matrix` without measuring: which pairs it takes (all, K per class, trimmed to a
// budget), the PU order and class boundaries it draws, and the JSON it writes from given
// figures. Planning and arithmetic only, never a timing: the figures here are made up.
#include "matrix_json.hpp"
#include "matrix_measure.hpp"
#include "matrix_pairs.hpp"

#include "rcbench/topology/topology.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

namespace rcbench::harness {
namespace {

using topo::PlacementClass;
using topo::PuPair;

const topo::Topology& zen4() {  // 2 x EPYC 9654: 384 PUs, SMT, 24 L3s
  static const auto* t = new topo::Topology(topo::Topology::from_xml(RCBENCH_384_PU_XML));
  return *t;
}

std::map<PlacementClass, std::size_t> per_class(const std::vector<PuPair>& pairs) {
  std::map<PlacementClass, std::size_t> n;
  for (const auto& p : pairs) ++n[p.cls];
  return n;
}

TEST(MatrixPairs, AllPairsAreNChooseTwo) {
  EXPECT_EQ(zen4().all_pairs().size(), 384u * 383 / 2);
  const auto small = topo::Topology::from_synthetic("pack:2 numa:2 l3:2 core:2 pu:2");
  EXPECT_EQ(small.all_pairs().size(), 32u * 31 / 2);
}

TEST(MatrixPairs, LogicalOrderIsAPermutationOfTheAllowedPusWithSmtSiblingsAdjacent) {
  const auto order = zen4().allowed_in_logical_order();
  ASSERT_EQ(order.size(), 384u);
  EXPECT_EQ(std::set<unsigned>(order.begin(), order.end()),
            std::set<unsigned>(zen4().allowed_pus().begin(), zen4().allowed_pus().end()));
  // On this machine OS indices put a core's second thread 192 further on; logical order
  // puts it next: the order is not the OS order.
  EXPECT_EQ(zen4().classify(order[0], order[1]), PlacementClass::smt);
  EXPECT_NE(order, zen4().allowed_pus().pus());
}

TEST(MatrixPairs, SampleTakesKOfEveryClassReproduciblyInInputOrder) {
  const auto all = zen4().all_pairs();
  const auto available = per_class(all);
  ASSERT_GE(available.size(), 4u) << "the test wants a machine with several classes";
  const auto sample = sample_per_class(all, 10, 7);
  const auto got = per_class(sample);
  EXPECT_EQ(got.size(), available.size()) << "every class represented";
  for (const auto& [cls, n] : available) EXPECT_EQ(got.at(cls), std::min<std::size_t>(10, n)) << topo::to_string(cls);
  EXPECT_EQ(sample, sample_per_class(all, 10, 7)) << "same seed, same pairs";
  EXPECT_NE(sample, sample_per_class(all, 10, 8)) << "another seed, other pairs";
  EXPECT_TRUE(std::is_sorted(sample.begin(), sample.end(), [](const PuPair& x, const PuPair& y) {
    return std::pair(x.a, x.b) < std::pair(y.a, y.b);
  }));
  for (const auto& p : sample) EXPECT_NE(std::find(all.begin(), all.end(), p), all.end());
}

TEST(MatrixPairs, SampleLargerThanAClassKeepsTheWholeClass) {
  const auto all = zen4().all_pairs();
  const auto available = per_class(all);
  const std::size_t smt = available.at(PlacementClass::smt);  // 192: one per core
  EXPECT_EQ(smt, 192u);
  const auto got = per_class(sample_per_class(all, 1000, 1));
  EXPECT_EQ(got.at(PlacementClass::smt), smt);
  EXPECT_EQ(got.at(PlacementClass::machine), 1000u);
  EXPECT_TRUE(sample_per_class(all, 0, 1).empty());
}

TEST(MatrixBudget, APlanThatFitsIsKeptWhole) {
  const auto all = zen4().all_pairs();
  const auto t = trim_pairs_to_budget(all, 0.001, 1e6, 1);
  EXPECT_FALSE(t.trimmed());
  EXPECT_EQ(t.kept, all);
  EXPECT_FALSE(t.per_class.has_value());
  EXPECT_DOUBLE_EQ(t.estimate_before_s, 0.001 * double(all.size()));
}

TEST(MatrixBudget, TrimKeepsTheLargestEqualShareOfEveryClassThatFits) {
  const auto all = zen4().all_pairs();
  const auto available = per_class(all);
  const double pair_s = 0.01, budget_s = 30;  // room for 3000 pairs of 73,536
  const auto t = trim_pairs_to_budget(all, pair_s, budget_s, 5);
  ASSERT_TRUE(t.trimmed());
  ASSERT_TRUE(t.per_class.has_value());
  const std::size_t k = *t.per_class;
  EXPECT_LE(t.kept.size(), 3000u);
  EXPECT_LE(t.estimate_after_s, budget_s);
  const auto got = per_class(t.kept);
  EXPECT_EQ(got.size(), available.size()) << "every class stays measured";
  std::size_t with_one_more = 0;
  for (const auto& [cls, n] : available) {
    EXPECT_EQ(got.at(cls), std::min(k, n));
    EXPECT_EQ(t.classes.at(cls).kept, std::min(k, n));
    EXPECT_EQ(t.classes.at(cls).available, n);
    with_one_more += std::min(k + 1, n);
  }
  EXPECT_GT(with_one_more, 3000u) << "K is the largest that fits";
  EXPECT_EQ(t.kept, trim_pairs_to_budget(all, pair_s, budget_s, 5).kept) << "seeded";
}

TEST(MatrixBudget, TooSmallForOnePairPerClassIsAnError) {
  const auto all = zen4().all_pairs();
  const std::size_t classes = per_class(all).size();
  try {
    trim_pairs_to_budget(all, 1.0, double(classes) - 0.5, 1);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--budget"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("too small"), std::string::npos) << e.what();
  }
  EXPECT_EQ(trim_pairs_to_budget(all, 1.0, double(classes), 1).kept.size(), classes);
}

TEST(MatrixBudget, EstimateGrowsWithMethodsAndBatches) {
  EXPECT_GT(estimate_pair_seconds(2, 50), estimate_pair_seconds(1, 50));
  EXPECT_GT(estimate_pair_seconds(1, 100), estimate_pair_seconds(1, 50));
  EXPECT_GT(estimate_pair_seconds(1, 1), 0.0);
}

TEST(MatrixMeasure, ABudgetAlreadySpentMeasuresNothingAndSaysSo) {
  // Nothing is pinned or timed: the deadline has passed before the first pair.
  const auto here = topo::Topology::this_system();
  const std::vector<PuPair> pairs{{0, 1, PlacementClass::l3}, {0, 2, PlacementClass::l3}};
  std::size_t progress_calls = 0;
  const auto out = measure_pairs(here, pairs, {PingPongMethod::two_line, PingPongMethod::one_line_cas}, 1,
                                 std::chrono::steady_clock::now() - std::chrono::seconds(1),
                                 [&](std::size_t, std::size_t) { ++progress_calls; });
  EXPECT_EQ(out.not_reached, 2u);
  EXPECT_EQ(out.measured, 0u);
  EXPECT_EQ(out.failed, 0u) << "not reached is not a failure";
  EXPECT_EQ(progress_calls, 0u);
  ASSERT_EQ(out.results.size(), 2u);
  for (const auto& r : out.results) {
    EXPECT_EQ(r.error, "not measured: the budget ran out");
    ASSERT_EQ(r.one_way_ns.size(), 2u);
    EXPECT_FALSE(r.one_way_ns[0].has_value());
    EXPECT_FALSE(r.one_way_ns[1].has_value());
  }
  EXPECT_EQ(out.results[1].pair, pairs[1]);
}

TEST(MatrixMethods, NamesRoundTrip) {
  EXPECT_EQ(parse_pingpong_method("two_line"), PingPongMethod::two_line);
  EXPECT_EQ(parse_pingpong_method("one_line_cas"), PingPongMethod::one_line_cas);
  EXPECT_FALSE(parse_pingpong_method("both").has_value());
  EXPECT_FALSE(parse_pingpong_method("Two_Line").has_value());
}

TEST(MatrixBoundaries, EveryLevelWhereItsDomainChanges) {
  const auto t = topo::Topology::from_synthetic("pack:2 numa:2 l3:2 core:2 pu:2");
  const auto order = t.allowed_in_logical_order();
  ASSERT_EQ(order.size(), 32u);
  const ClassBoundaries b = class_boundaries(t, order);
  auto every = [](std::size_t step) {
    std::vector<std::size_t> v;
    for (std::size_t i = step; i < 32; i += step) v.push_back(i);
    return v;
  };
  EXPECT_EQ(b.core, every(2));
  EXPECT_EQ(b.l3, every(4));
  EXPECT_EQ(b.numa, every(8));
  EXPECT_EQ(b.package, every(16));
}

TEST(MatrixBoundaries, NoL3LinesOnAMachineWithoutL3) {
  const auto t = topo::Topology::from_synthetic("pack:2 core:2 pu:2");
  const ClassBoundaries b = class_boundaries(t, t.allowed_in_logical_order());
  EXPECT_EQ(b.core, (std::vector<std::size_t>{2, 4, 6}));
  EXPECT_TRUE(b.l3.empty());
  EXPECT_EQ(b.package, (std::vector<std::size_t>{4}));
}

TEST(MatrixJson, SummaryMinMedianMaxCount) {
  const auto odd = summarize_ns({30, 10, 20});
  EXPECT_EQ(odd["count"], 3);
  EXPECT_EQ(odd["min_ns"], 10.0);
  EXPECT_EQ(odd["median_ns"], 20.0);
  EXPECT_EQ(odd["max_ns"], 30.0);
  EXPECT_EQ(summarize_ns({40, 10, 20, 30})["median_ns"], 25.0) << "even: mean of the middle two";
  const auto none = summarize_ns({});
  EXPECT_EQ(none["count"], 0);
  EXPECT_TRUE(none["median_ns"].is_null());
}

// A made-up 4-PU machine in logical order 0, 2, 1, 3 (not OS order), two methods; pair
// 1-3 failed, 0-3 not planned.
TEST(MatrixJson, SymmetricNullWhereUnmeasuredClassesSummarized) {
  const std::vector<unsigned> order{0, 2, 1, 3};
  const std::vector<PingPongMethod> methods{PingPongMethod::two_line, PingPongMethod::one_line_cas};
  const std::vector<PairResult> results{
      {{0, 2, PlacementClass::smt}, {10.0, 5.0}, ""},
      {{1, 3, PlacementClass::smt}, {std::nullopt, std::nullopt}, "could not pin to PU 3: made up"},
      {{0, 1, PlacementClass::machine}, {100.0, 50.0}, ""},
      {{2, 3, PlacementClass::machine}, {140.0, 70.0}, ""},
      {{1, 2, PlacementClass::machine}, {120.0, 60.0}, ""},
  };
  const ClassBoundaries b{{2}, {}, {2}, {2}};
  const nlohmann::json j = matrix_section(order, b, methods, results);
  EXPECT_EQ(j["pus"], nlohmann::json(order));
  EXPECT_EQ(j["boundaries"]["package"], nlohmann::json::array({2}));
  ASSERT_TRUE(j["methods"].contains("two_line"));
  ASSERT_TRUE(j["methods"].contains("one_line_cas"));
  const auto& m = j["methods"]["two_line"]["one_way_ns"];
  ASSERT_EQ(m.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(m[i].size(), 4u);
    EXPECT_TRUE(m[i][i].is_null()) << "diagonal";
    for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(m[i][k], m[k][i]) << i << "," << k;
  }
  // Positions: PU 0 -> 0, PU 2 -> 1, PU 1 -> 2, PU 3 -> 3.
  EXPECT_EQ(m[0][1], 10.0) << "0-2";
  EXPECT_EQ(m[0][2], 100.0) << "0-1";
  EXPECT_EQ(m[1][3], 140.0) << "2-3";
  EXPECT_EQ(m[2][1], 120.0) << "1-2";
  EXPECT_TRUE(m[2][3].is_null()) << "1-3 failed";
  EXPECT_TRUE(m[0][3].is_null()) << "0-3 not planned";
  EXPECT_EQ(j["methods"]["one_line_cas"]["one_way_ns"][0][1], 5.0);

  const auto& classes = j["methods"]["two_line"]["by_class"];
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_EQ(classes[0]["class"], "smt") << "nearest first";
  EXPECT_EQ(classes[0]["count"], 1) << "the failed pair is not a figure";
  EXPECT_EQ(classes[0]["min_ns"], 10.0);
  EXPECT_EQ(classes[1]["class"], "machine");
  EXPECT_EQ(classes[1]["count"], 3);
  EXPECT_EQ(classes[1]["min_ns"], 100.0);
  EXPECT_EQ(classes[1]["median_ns"], 120.0);
  EXPECT_EQ(classes[1]["max_ns"], 140.0);
  EXPECT_EQ(j["methods"]["one_line_cas"]["by_class"][1]["median_ns"], 60.0);

  const auto& pairs = j["pairs"];
  ASSERT_EQ(pairs.size(), 5u);
  EXPECT_EQ(pairs[1]["class"], "smt");
  EXPECT_TRUE(pairs[1]["two_line_ns"].is_null());
  EXPECT_EQ(pairs[1]["error"], "could not pin to PU 3: made up");
  EXPECT_FALSE(pairs[0].contains("error"));
  EXPECT_EQ(pairs[0]["one_line_cas_ns"], 5.0);
}

TEST(MatrixJson, APuOutsideTheListIsAProgrammingError) {
  const std::vector<PairResult> results{{{0, 9, PlacementClass::machine}, {1.0}, ""}};
  EXPECT_THROW(matrix_section({0, 1}, {}, {PingPongMethod::two_line}, results), std::logic_error);
}

}  // namespace
}  // namespace rcbench::harness
