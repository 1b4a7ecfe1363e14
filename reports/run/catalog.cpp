#include "run/catalog.hpp"

#include "field.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <limits>
#include <mutex>

namespace rcbench::runjson {
namespace {

using detail::Field;

// Unknown names sort after every catalogued one, in the order the caller keeps.
constexpr int kUnknownOrder = std::numeric_limits<int>::max();

std::string optional_role(const Field& f, std::initializer_list<std::string_view> known) {
  if (!f.present_non_null()) return {};
  std::string role = *f.string();
  if (std::find(known.begin(), known.end(), role) == known.end()) {
    std::string list;
    for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    f.fail(fmt::format("unknown role \"{}\" (known: {}, or null)", role, list));
  }
  return role;
}

std::string required_name(const Field& entry) {
  const Field name = entry["name"];
  if (!name.present()) entry.fail("an entry without \"name\"");
  std::string n = *name.string();
  if (n.empty()) name.fail("an empty name");
  return n;
}

int order_of(const Field& entry) {
  const auto o = entry["order"].integer(std::numeric_limits<int>::min() + 1, kUnknownOrder - 1);
  return o ? static_cast<int>(*o) : 0;
}

std::mutex build_catalog_mutex;
nlohmann::json build_catalog_json;  // null until set_build_catalog

}  // namespace

std::string_view to_string(CatalogSource s) {
  switch (s) {
    case CatalogSource::run: return "run";
    case CatalogSource::build: return "build";
    case CatalogSource::none: break;
  }
  return "none";
}

Catalog Catalog::from_json(const nlohmann::json& doc, CatalogSource source, std::string_view where) {
  return from_field(Field(doc, where), source);
}

Catalog Catalog::from_field(const Field& c, CatalogSource source) {
  if (!c.object()) c.fail("the catalog must be an object");

  Catalog out;
  out.source_ = source;
  if (const Field s = c["strategies"]; s.present()) {
    s.array();
    for (std::size_t i = 0; i < s.value().size(); ++i) {
      const Field e = s[i];
      if (!e.object()) e.fail("a strategy entry must be an object");
      StrategyInfo info;
      info.name = required_name(e);
      if (out.strategy(info.name) != nullptr) e["name"].fail(fmt::format("strategy \"{}\" listed twice", info.name));
      info.family = e["family"].string().value_or(info.name);
      info.display = e["display"].string().value_or(info.name);
      info.summary = e["summary"].string().value_or("");
      info.order = order_of(e);
      info.baseline = optional_role(e["baseline"], {"gil", "lock", "real"});
      info.reference = e["reference"].boolean().value_or(false);
      info.headline = optional_role(e["headline"], {"rmw", "owner_biased"});
      info.real_interpreter = e["real_interpreter"].boolean().value_or(false);
      if (const nlohmann::json* p = e["params"].object()) info.params = *p;
      out.strategies_.push_back(std::move(info));
    }
  }
  if (const Field w = c["workloads"]; w.present()) {
    w.array();
    for (std::size_t i = 0; i < w.value().size(); ++i) {
      const Field e = w[i];
      if (!e.object()) e.fail("a workload entry must be an object");
      WorkloadInfo info;
      info.name = required_name(e);
      if (out.workload(info.name) != nullptr) e["name"].fail(fmt::format("workload \"{}\" listed twice", info.name));
      info.display = e["display"].string().value_or(info.name);
      info.summary = e["summary"].string().value_or("");
      info.order = order_of(e);
      info.contention = e["contention"].string().value_or("");
      out.workloads_.push_back(std::move(info));
    }
  }
  return out;
}

const StrategyInfo* Catalog::strategy(std::string_view name) const {
  for (const StrategyInfo& s : strategies_)
    if (s.name == name) return &s;
  return nullptr;
}

const WorkloadInfo* Catalog::workload(std::string_view name) const {
  for (const WorkloadInfo& w : workloads_)
    if (w.name == name) return &w;
  return nullptr;
}

bool Catalog::is_baseline(std::string_view strategy_name, std::string_view role) const {
  const StrategyInfo* s = strategy(strategy_name);
  return s != nullptr && !role.empty() && s->baseline == role;
}

bool Catalog::is_reference(std::string_view strategy_name) const {
  const StrategyInfo* s = strategy(strategy_name);
  return s != nullptr && s->reference;
}

bool Catalog::has_contention(std::string_view workload_name, std::string_view contention) const {
  const WorkloadInfo* w = workload(workload_name);
  return w != nullptr && w->contention == contention;
}

int Catalog::strategy_order(std::string_view strategy_name) const {
  const StrategyInfo* s = strategy(strategy_name);
  return s != nullptr ? s->order : kUnknownOrder;
}

int Catalog::workload_order(std::string_view workload_name) const {
  const WorkloadInfo* w = workload(workload_name);
  return w != nullptr ? w->order : kUnknownOrder;
}

std::string Catalog::baseline_strategy(std::string_view role) const {
  for (const StrategyInfo& s : strategies_)
    if (s.baseline == role) return s.name;
  return {};
}

nlohmann::json Catalog::to_json() const {
  const auto role = [](const std::string& r) { return r.empty() ? nlohmann::json(nullptr) : nlohmann::json(r); };
  nlohmann::json strategies = nlohmann::json::array(), workloads = nlohmann::json::array();
  for (const StrategyInfo& s : strategies_)
    strategies.push_back({{"name", s.name}, {"family", s.family}, {"params", s.params}, {"display", s.display},
                          {"order", s.order}, {"baseline", role(s.baseline)}, {"reference", s.reference},
                          {"headline", role(s.headline)}, {"real_interpreter", s.real_interpreter},
                          {"summary", s.summary}});
  for (const WorkloadInfo& w : workloads_)
    workloads.push_back({{"name", w.name}, {"display", w.display}, {"order", w.order},
                         {"contention", role(w.contention)}, {"summary", w.summary}});
  return {{"source", std::string(to_string(source_))}, {"strategies", strategies}, {"workloads", workloads}};
}

void set_build_catalog(const nlohmann::json& catalog) {
  const std::lock_guard lock(build_catalog_mutex);
  build_catalog_json = catalog;
}

Catalog build_catalog_or_empty() {
  nlohmann::json copy;
  {
    const std::lock_guard lock(build_catalog_mutex);
    copy = build_catalog_json;
  }
  if (copy.is_null()) return {};
  return Catalog::from_json(copy, CatalogSource::build, "this build's catalog");
}

}  // namespace rcbench::runjson
