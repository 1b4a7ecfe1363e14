#include "compare/gate_config.hpp"

#include <fmt/core.h>

#include <fstream>
#include <initializer_list>
#include <sstream>

namespace rcbench::compare {
namespace {

using nlohmann::json;

void only_keys(const json& obj, std::initializer_list<std::string_view> allowed, std::string_view where) {
  if (!obj.is_object()) throw InputError(fmt::format("{}: expected a JSON object", where));
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) list += fmt::format("{}{}", list.empty() ? "" : ", ", a);
      throw InputError(fmt::format("{}: unknown key \"{}\" (known: {})", where, key, list));
    }
  }
}

double number(const json& obj, const char* key, double fallback, std::string_view where) {
  if (!obj.contains(key)) return fallback;
  if (!obj[key].is_number())
    throw InputError(fmt::format("{}: \"{}\" must be a number, got {}", where, key, obj[key].dump()));
  return obj[key].get<double>();
}

std::string text(const json& obj, const char* key, const std::string& fallback, std::string_view where) {
  if (!obj.contains(key)) return fallback;
  if (!obj[key].is_string())
    throw InputError(fmt::format("{}: \"{}\" must be a string, got {}", where, key, obj[key].dump()));
  return obj[key].get<std::string>();
}

void require(bool ok, std::string_view where, std::string_view what) {
  if (!ok) throw InputError(fmt::format("{}: {}", where, what));
}

}  // namespace

std::string_view to_string(Mode m) { return m == Mode::normalized ? "normalized" : "absolute"; }
std::string_view to_string(Statistic s) { return s == Statistic::median ? "median" : "min"; }

Mode parse_mode(std::string_view t) {
  if (t == "normalized") return Mode::normalized;
  if (t == "absolute") return Mode::absolute;
  throw InputError(fmt::format("unknown mode \"{}\" (expected normalized or absolute)", t));
}

Statistic parse_statistic(std::string_view t) {
  if (t == "median") return Statistic::median;
  if (t == "min") return Statistic::min;
  throw InputError(fmt::format("unknown statistic \"{}\" (expected median or min)", t));
}

const ThresholdRule* GateConfig::rule_for(std::string_view run_name) const {
  const std::string name(run_name);
  for (const ThresholdRule& r : rules)
    if (std::regex_match(name, r.regex)) return &r;
  return nullptr;
}

double GateConfig::threshold_pct_for(std::string_view run_name) const {
  const ThresholdRule* r = rule_for(run_name);
  return r ? r->threshold_pct : default_threshold_pct;
}

bool GateConfig::gated(std::string_view run_name) const {
  const ThresholdRule* r = rule_for(run_name);
  return r ? r->gated : true;
}

bool GateConfig::use_modes_for(std::string_view run_name) const {
  if (!use_modes) return false;
  const ThresholdRule* r = rule_for(run_name);
  return r && r->use_modes ? *r->use_modes : true;
}

GateConfig parse_gate_config(const json& doc, std::string_view source) {
  GateConfig c;
  c.source = std::string(source);
  const std::string where(source);
  only_keys(doc, {"format", "format_version", "comment", "mode", "statistic", "counter", "alpha",
                  "min_reps", "use_modes", "default_threshold_pct", "rules", "anchor",
                  "min_normalizer_reps", "environment", "modes"},
            where);
  require(text(doc, "format", "rcbench-gate-config", where) == "rcbench-gate-config", where,
          "\"format\" must be \"rcbench-gate-config\"");
  require(number(doc, "format_version", 1, where) == 1, where, "unknown format_version (expected 1)");
  c.mode = parse_mode(text(doc, "mode", std::string(to_string(c.mode)), where));
  c.statistic = parse_statistic(text(doc, "statistic", std::string(to_string(c.statistic)), where));
  c.counter = text(doc, "counter", c.counter, where);
  c.alpha = number(doc, "alpha", c.alpha, where);
  require(c.alpha > 0 && c.alpha < 1, where, "alpha must be in (0, 1)");
  const double min_reps = number(doc, "min_reps", c.min_reps, where);
  require(min_reps >= 2 && min_reps == static_cast<int>(min_reps), where, "min_reps must be an integer >= 2");
  c.min_reps = static_cast<int>(min_reps);
  if (doc.contains("use_modes")) {
    require(doc["use_modes"].is_boolean(), where, "use_modes must be true or false");
    c.use_modes = doc["use_modes"].get<bool>();
  }
  c.default_threshold_pct = number(doc, "default_threshold_pct", c.default_threshold_pct, where);
  require(c.default_threshold_pct >= 0, where, "default_threshold_pct must be >= 0");
  c.anchor = text(doc, "anchor", c.anchor, where);
  const double mnr = number(doc, "min_normalizer_reps", c.min_normalizer_reps, where);
  require(mnr >= 1 && mnr == static_cast<int>(mnr), where, "min_normalizer_reps must be an integer >= 1");
  c.min_normalizer_reps = static_cast<int>(mnr);

  if (doc.contains("rules")) {
    require(doc["rules"].is_array(), where, "\"rules\" must be an array");
    for (std::size_t i = 0; i < doc["rules"].size(); ++i) {
      const json& r = doc["rules"][i];
      const std::string rw = fmt::format("{}: rules[{}]", source, i);
      only_keys(r, {"pattern", "threshold_pct", "gated", "use_modes", "comment"}, rw);
      ThresholdRule rule;
      rule.pattern = text(r, "pattern", "", rw);
      require(!rule.pattern.empty(), rw, "\"pattern\" is required");
      try {
        rule.regex = std::regex(rule.pattern, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        throw InputError(fmt::format("{}: bad regex \"{}\": {}", rw, rule.pattern, e.what()));
      }
      rule.threshold_pct = number(r, "threshold_pct", c.default_threshold_pct, rw);
      require(rule.threshold_pct >= 0, rw, "threshold_pct must be >= 0");
      if (r.contains("gated")) {
        require(r["gated"].is_boolean(), rw, "gated must be true or false");
        rule.gated = r["gated"].get<bool>();
      }
      if (r.contains("use_modes")) {
        require(r["use_modes"].is_boolean(), rw, "use_modes must be true or false");
        rule.use_modes = r["use_modes"].get<bool>();
      }
      c.rules.push_back(std::move(rule));
    }
  }
  if (doc.contains("environment")) {
    const json& e = doc["environment"];
    const std::string ew = where + ": environment";
    only_keys(e, {"max_steal_fraction", "max_loadavg_per_pu", "max_migrated_rep_fraction", "comment"}, ew);
    c.environment.max_steal_fraction = number(e, "max_steal_fraction", c.environment.max_steal_fraction, ew);
    c.environment.max_loadavg_per_pu = number(e, "max_loadavg_per_pu", c.environment.max_loadavg_per_pu, ew);
    c.environment.max_migrated_rep_fraction =
        number(e, "max_migrated_rep_fraction", c.environment.max_migrated_rep_fraction, ew);
  }
  if (doc.contains("modes")) {
    const json& m = doc["modes"];
    const std::string mw = where + ": modes";
    only_keys(m, {"min_gap_ratio", "comment"}, mw);
    c.modes.min_gap_ratio = number(m, "min_gap_ratio", c.modes.min_gap_ratio, mw);
    require(c.modes.min_gap_ratio > 1, mw, "min_gap_ratio must be > 1");
  }
  return c;
}

GateConfig load_gate_config(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("cannot read gate config {}", path.string()));
  std::stringstream buf;
  buf << in.rdbuf();
  json doc;
  try {
    doc = json::parse(buf.str());
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", path.string(), e.what()));
  }
  return parse_gate_config(doc, path.string());
}

}  // namespace rcbench::compare
