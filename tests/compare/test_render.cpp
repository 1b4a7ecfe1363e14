#include "compare/render.hpp"
#include "fixtures.hpp"

#include <gtest/gtest.h>

namespace rcbench::compare {
namespace {

CompareResult slowdown() {
  GateConfig c;
  return compare_runs(load_compare_input(testing::compare_data("base.json")),
                      load_compare_input(testing::compare_data("atomic_slower_30pct.json")), c);
}

TEST(Render, JsonVerdictCarriesVerdictRowsAndUnits) {
  const nlohmann::json j = to_json(slowdown());
  EXPECT_EQ(j["format"], "rcbench-compare");
  EXPECT_EQ(j["verdict"], "regression");
  EXPECT_EQ(j["exit_code"], 1);
  EXPECT_EQ(j["settings"]["mode"], "normalized");
  EXPECT_NE(j["settings"]["unit"].get<std::string>().find("ns per op, per thread"), std::string::npos);
  EXPECT_EQ(j["counts"]["regression"], 1);
  bool found = false;
  for (const auto& row : j["rows"]) {
    if (row["status"] == "regression") {
      found = true;
      EXPECT_TRUE(row["p_value"].is_number());
      EXPECT_GT(row["change_pct"].get<double>(), 10);
    }
    if (row["status"] == "reference") {
      EXPECT_TRUE(row["normalizer"].is_null());
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(j["modes"].size(), 1u);
  // Strict JSON: serializes and parses back (no NaN tokens).
  EXPECT_EQ(nlohmann::json::parse(j.dump()), j);
}

TEST(Render, TerminalAndMarkdownNameUnitsAndVerdict) {
  const CompareResult r = slowdown();
  const std::string t = render_terminal(r);
  EXPECT_NE(t.find("REGRESSION (> 10%)"), std::string::npos) << t;
  EXPECT_NE(t.find("ns per op, per thread"), std::string::npos);
  EXPECT_NE(t.find("verdict: REGRESSION (exit 1)"), std::string::npos);
  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("| benchmark | base | candidate | change | p |"), std::string::npos) << md;
  EXPECT_NE(md.find("**REGRESSION (> 10%)**"), std::string::npos);
}

}  // namespace
}  // namespace rcbench::compare
