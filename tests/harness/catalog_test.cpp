// The catalog the harness writes into every run (rcbench.catalog): complete for the
// plan, each role held by exactly one strategy, readable by the run library, and in
// agreement with the catalog the report and compare tests read fixtures with.
#include "catalog.hpp"
#include "counters/strategies.hpp"
#include "plan.hpp"
#include "profile.hpp"
#include "rcbench/topology/topology.hpp"
#include "run/catalog.hpp"
#include "run/run_json.hpp"
#include "report/test_catalog.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using namespace rcbench;

int count_with(const nlohmann::json& entries, const std::string& key, const nlohmann::json& value) {
  int n = 0;
  for (const nlohmann::json& e : entries) n += e.at(key) == value;
  return n;
}

TEST(Catalog, TheBuildsCatalogHasEveryStrategyAndEachRoleOnce) {
  const nlohmann::json c = harness::build_catalog();
  std::set<std::string> names;
  for (const nlohmann::json& e : c.at("strategies")) names.insert(e.at("name").get<std::string>());
  for (const std::string& s : harness::known_strategy_names()) EXPECT_TRUE(names.contains(s)) << s;
  EXPECT_EQ(names.size(), harness::known_strategy_names().size());
  EXPECT_EQ(count_with(c["strategies"], "baseline", "gil"), 1);
  EXPECT_EQ(count_with(c["strategies"], "baseline", "lock"), 1);
  EXPECT_EQ(count_with(c["strategies"], "baseline", "real"), counters::kRealInterpreterRows ? 1 : 0);
  EXPECT_EQ(count_with(c["strategies"], "reference", true), 1);
  EXPECT_EQ(count_with(c["strategies"], "headline", "rmw"), 1);
  EXPECT_EQ(count_with(c["strategies"], "headline", "owner_biased"), 1);
  EXPECT_EQ(count_with(c["workloads"], "contention", "none"), 1);
  EXPECT_EQ(count_with(c["workloads"], "contention", "one_object"), 1);
  // Sorted by order, the baselines after the strategies they judge.
  int last = -1;
  for (const nlohmann::json& e : c["strategies"]) {
    EXPECT_GE(e.at("order").get<int>(), last) << e.dump();
    last = e.at("order").get<int>();
  }
  EXPECT_EQ(c["strategies"].back().at("real_interpreter"), counters::kRealInterpreterRows);
}

TEST(Catalog, ParametersAreEntriesOfTheirOwn) {
  const nlohmann::json e = harness::strategy_entry("deferred_32");
  EXPECT_EQ(e.at("family"), "deferred");
  EXPECT_EQ(e.at("params").at("flush_threshold"), 32);
  EXPECT_NE(e.at("display").get<std::string>().find("32"), std::string::npos);
  EXPECT_THROW((void)harness::strategy_entry("no_such_strategy"), std::invalid_argument);
}

// Every strategy and workload of a plan's refcount rows has its entry, and nothing else.
TEST(Catalog, ARunsCatalogHoldsExactlyThePlansStrategiesAndWorkloads) {
  const auto topo = topo::Topology::from_xml(RCBENCH_384_PU_XML);
  for (const char* profile : {"quick", "default", "gate"}) {
    const auto plan = harness::make_plan(harness::find_profile(profile), topo, {});
    std::set<std::string> strategies, workloads;
    for (const harness::PlannedBenchmark& pb : plan) {
      if (pb.spec.kind != harness::BenchKind::refcount) continue;
      strategies.insert(pb.spec.strategy);
      workloads.insert(std::string(harness::to_string(pb.spec.workload)));
    }
    const nlohmann::json c = harness::run_catalog(plan);
    std::set<std::string> s, w;
    for (const nlohmann::json& e : c.at("strategies")) s.insert(e.at("name").get<std::string>());
    for (const nlohmann::json& e : c.at("workloads")) w.insert(e.at("name").get<std::string>());
    EXPECT_EQ(s, strategies) << profile;
    EXPECT_EQ(w, workloads) << profile;
  }
}

// The run library reads what the harness writes, role for role; and the catalog the
// report and compare tests read their fixtures with says what the build says.
TEST(Catalog, TheRunLibraryReadsItAndTheTestsCatalogAgreesWithIt) {
  const runjson::Catalog build =
      runjson::Catalog::from_json(harness::build_catalog(), runjson::CatalogSource::build, "build");
  const runjson::Catalog tests =
      runjson::Catalog::from_json(rcbench::testing::test_catalog(), runjson::CatalogSource::build, "tests");
  for (const runjson::StrategyInfo& t : tests.strategies()) {
    const runjson::StrategyInfo* b = build.strategy(t.name);
    if (b == nullptr) {
      // Only the real interpreter's rows may be missing (a build without libpython).
      EXPECT_TRUE(t.real_interpreter && !counters::kRealInterpreterRows) << t.name;
      continue;
    }
    EXPECT_EQ(b->baseline, t.baseline) << t.name;
    EXPECT_EQ(b->reference, t.reference) << t.name;
    EXPECT_EQ(b->headline, t.headline) << t.name;
    EXPECT_EQ(b->real_interpreter, t.real_interpreter) << t.name;
    EXPECT_EQ(b->order, t.order) << t.name;
  }
  for (const runjson::WorkloadInfo& t : tests.workloads()) {
    ASSERT_NE(build.workload(t.name), nullptr) << t.name;
    EXPECT_EQ(build.workload(t.name)->contention, t.contention) << t.name;
    EXPECT_EQ(build.workload(t.name)->order, t.order) << t.name;
  }
}

TEST(Catalog, AMalformedCatalogIsAnInputErrorNamingTheField) {
  nlohmann::json c = harness::build_catalog();
  c["strategies"][1]["baseline"] = "judge";
  try {
    (void)runjson::Catalog::from_json(c, runjson::CatalogSource::run, "run.json");
    FAIL() << "an unknown role was accepted";
  } catch (const runjson::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/strategies/1/baseline"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("unknown role \"judge\""), std::string::npos) << e.what();
  }
  c = harness::build_catalog();
  c["workloads"].push_back(c["workloads"][0]);
  EXPECT_THROW((void)runjson::Catalog::from_json(c, runjson::CatalogSource::run, "run.json"), runjson::InputError);
}

}  // namespace
