#include "catalog.hpp"

#include "profile.hpp"
#include "strategy_dispatch.hpp"
#include "workloads/dispatch.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <tuple>

namespace rcbench::harness {
namespace {

// A role the run JSON spells as a string, or null where the entry has none.
nlohmann::json role_or_null(std::string_view role) {
  return role.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::string(role));
}

nlohmann::json workload_entry(Workload w) {
  return workloads::with_workload(w, [w]<template <class> class W>() {
    const workloads::WorkloadEntry& e = W<NullStrategy>::catalog;
    return nlohmann::json{{"name", std::string(to_string(w))},
                          {"display", std::string(e.display)},
                          {"order", e.order},
                          {"contention", std::string(workloads::to_string(e.contention))},
                          {"summary", std::string(e.summary)}};
  });
}

// Sorted by order, then name (deferred_8 before deferred_64: by its parameter).
nlohmann::json sorted(std::vector<nlohmann::json> entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    const auto key = [](const nlohmann::json& e) {
      const nlohmann::json p = e.value("params", nlohmann::json::object());
      const std::uint64_t param = !p.empty() ? p.begin()->get<std::uint64_t>() : 0;
      return std::tuple(e["order"].get<int>(), param, e["name"].get<std::string>());
    };
    return key(a) < key(b);
  });
  return entries;
}

}  // namespace

nlohmann::json strategy_entry(const std::string& name) {
  const auto [base, flush] = split_strategy_name(name);
  nlohmann::json j;
  with_strategy(base, [&]<class S>() {
    const counters::StrategyEntry& e = S::catalog;
    std::string display(e.display);
    nlohmann::json params = nlohmann::json::object();
    if (flush != 0) {
      params["flush_threshold"] = flush;
      display += " (flush every " + std::to_string(flush) + ")";
    }
    j = {{"name", name},
         {"family", std::string(S::name)},
         {"params", params},
         {"display", display},
         {"order", e.order},
         {"baseline", role_or_null(counters::to_string(e.baseline))},
         {"reference", e.reference},
         {"headline", role_or_null(counters::to_string(e.headline))},
         {"real_interpreter", e.real_interpreter},
         {"summary", std::string(e.summary)}};
  });
  return j;
}

nlohmann::json run_catalog(const std::vector<PlannedBenchmark>& plan) {
  std::set<std::string> strategies;
  std::set<Workload> used;
  for (const PlannedBenchmark& pb : plan) {
    if (pb.spec.kind != BenchKind::refcount) continue;
    strategies.insert(pb.spec.strategy);
    used.insert(pb.spec.workload);
  }
  std::vector<nlohmann::json> s, w;
  for (const std::string& name : strategies) s.push_back(strategy_entry(name));
  for (Workload wl : used) w.push_back(workload_entry(wl));
  return {{"strategies", sorted(std::move(s))}, {"workloads", sorted(std::move(w))}};
}

nlohmann::json build_catalog() {
  std::vector<nlohmann::json> s, w;
  for (const std::string& name : known_strategy_names()) s.push_back(strategy_entry(name));
  for (Workload wl : {Workload::private_objects, Workload::shared, Workload::false_sharing, Workload::handoff,
                      Workload::mixed, Workload::foreign})
    w.push_back(workload_entry(wl));
  return {{"strategies", sorted(std::move(s))}, {"workloads", sorted(std::move(w))}};
}

}  // namespace rcbench::harness
