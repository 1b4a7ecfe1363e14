// The catalog the report tests read runs with: the entries of the strategies and
// workloads their runs and fixtures use, as `rcbench run` writes them into a run
// (rcbench.catalog). Spelled out here so that each test states what it relies on;
// tests/harness/catalog_test.cpp holds these roles to the build's own catalog.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rcbench::testing {

inline nlohmann::json strategy_entry(const std::string& name, int order, nlohmann::json baseline = nullptr,
                                     bool reference = false, nlohmann::json headline = nullptr,
                                     bool real_interpreter = false) {
  return {{"name", name},          {"display", name},      {"order", order},
          {"baseline", baseline},  {"reference", reference}, {"headline", headline},
          {"real_interpreter", real_interpreter}};
}

inline nlohmann::json test_catalog() {
  nlohmann::json strategies = nlohmann::json::array({
      strategy_entry("plain", 10, nullptr, /*reference=*/true),
      strategy_entry("atomic", 20, nullptr, false, "rmw"),
      strategy_entry("atomic_seq_cst", 21),
      strategy_entry("atomic_cas", 22),
      strategy_entry("biased", 30, nullptr, false, "owner_biased"),
      strategy_entry("deferred_8", 40),
      strategy_entry("deferred_64", 40),
      strategy_entry("deferred_1024", 40),
      strategy_entry("immortal", 50),
      strategy_entry("gil_lock", 810, "lock"),
      strategy_entry("gil_cpython", 910, "gil"),
      strategy_entry("cpython311_eval", 1000, "real", false, nullptr, true),
      strategy_entry("cpython311_release", 1010, nullptr, false, nullptr, true),
  });
  nlohmann::json workloads = nlohmann::json::array({
      {{"name", "private"}, {"order", 10}, {"contention", "none"}},
      {{"name", "foreign"}, {"order", 15}, {"contention", "owned_elsewhere"}},
      {{"name", "shared"}, {"order", 20}, {"contention", "one_object"}},
      {{"name", "false_sharing"}, {"order", 30}, {"contention", "one_line"}},
      {{"name", "handoff"}, {"order", 40}, {"contention", "transfer"}},
      {{"name", "mixed"}, {"order", 50}, {"contention", "partly_shared"}},
  });
  return {{"strategies", strategies}, {"workloads", workloads}};
}

}  // namespace rcbench::testing
