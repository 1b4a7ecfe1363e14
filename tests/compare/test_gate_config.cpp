#include "compare/gate_config.hpp"

#include <gtest/gtest.h>

namespace rcbench::compare {
namespace {

using nlohmann::json;

TEST(GateConfig, ShippedConfigParses) {
  const GateConfig c = load_gate_config(RCBENCH_GATE_CONFIG);
  EXPECT_EQ(c.mode, Mode::normalized);
  EXPECT_GE(c.min_reps, 9);  // below 9 the U test barely reaches p < 0.05
  EXPECT_FALSE(c.gated("calibration/overhead/placement:single/real_time/threads:1"));
  EXPECT_TRUE(c.gated("refcount/atomic/private/placement:single/real_time/threads:1"));
}

TEST(GateConfig, FirstMatchingRuleWins) {
  const GateConfig c = parse_gate_config(json::parse(R"({
    "default_threshold_pct": 7,
    "rules": [ {"pattern": "refcount/atomic/.*", "threshold_pct": 3},
               {"pattern": "refcount/.*", "threshold_pct": 20},
               {"pattern": "calibration/.*", "gated": false} ] })"),
                                         "inline");
  EXPECT_EQ(c.threshold_pct_for("refcount/atomic/private/placement:single/real_time/threads:1"), 3);
  EXPECT_EQ(c.threshold_pct_for("refcount/biased/private/placement:single/real_time/threads:1"), 20);
  EXPECT_EQ(c.threshold_pct_for("other/thing"), 7);
  // Whole-name match: a pattern is not a substring search.
  EXPECT_EQ(c.threshold_pct_for("x/refcount/atomic/y"), 7);
  EXPECT_FALSE(c.gated("calibration/pingpong/placement:l3/real_time/threads:2"));
}

TEST(GateConfig, ModesPerRuleAndTheGlobalSwitch) {
  GateConfig c = parse_gate_config(json::parse(R"({
    "rules": [ {"pattern": ".*/threads:1", "use_modes": false}, {"pattern": ".*", "threshold_pct": 25} ] })"),
                                   "inline");
  EXPECT_FALSE(c.use_modes_for("refcount/atomic/private/placement:single/real_time/threads:1"));
  EXPECT_TRUE(c.use_modes_for("refcount/atomic/shared/placement:l3/real_time/threads:2"));
  c.use_modes = false;  // --no-modes wins over every rule
  EXPECT_FALSE(c.use_modes_for("refcount/atomic/shared/placement:l3/real_time/threads:2"));
  EXPECT_THROW(parse_gate_config(json::parse(R"({"rules": [{"pattern": "a", "use_modes": 1}]})"), "inline"),
               InputError);
}

TEST(GateConfig, MisspelledKeysAreErrors) {
  EXPECT_THROW(parse_gate_config(json::parse(R"({"treshold_pct": 5})"), "inline"), InputError);
  EXPECT_THROW(parse_gate_config(json::parse(R"({"rules": [{"pattern": "a", "threshold": 5}]})"), "inline"),
               InputError);
  EXPECT_THROW(parse_gate_config(json::parse(R"({"environment": {"max_steal": 0.1}})"), "inline"), InputError);
}

TEST(GateConfig, BadValuesAreErrors) {
  EXPECT_THROW(parse_gate_config(json::parse(R"({"alpha": 1.5})"), "inline"), InputError);
  EXPECT_THROW(parse_gate_config(json::parse(R"({"min_reps": 1})"), "inline"), InputError);
  EXPECT_THROW(parse_gate_config(json::parse(R"({"mode": "relative"})"), "inline"), InputError);
  EXPECT_THROW(parse_gate_config(json::parse(R"({"rules": [{"pattern": "("}]})"), "inline"), InputError);
  EXPECT_THROW(parse_gate_config(json::parse(R"({"format_version": 2})"), "inline"), InputError);
  EXPECT_THROW(parse_gate_config(json::parse(R"([1, 2])"), "inline"), InputError);
  EXPECT_THROW(load_gate_config("/nonexistent/gate.json"), InputError);
}

}  // namespace
}  // namespace rcbench::compare
