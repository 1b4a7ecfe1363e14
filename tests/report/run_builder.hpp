// Builds small run JSON texts in the tests, so each test states the numbers it
// asserts on (a GIL row at 10 ns/op, an atomic row at 2 ns/op, ...).
#pragma once

#include "run/run_json.hpp"
#include "test_catalog.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace rcbench::testing {

using Counters = std::map<std::string, double>;

struct BenchSpec {
  std::string run_name;
  std::vector<Counters> reps;
  nlohmann::json meta = nullptr;  // rcbench.benchmarks[] entry (name filled in)
  std::vector<std::string> errors = {};  // error messages of failed repetitions
};

// A repetition with the three main figures consistent with `ns_thread` per thread.
inline Counters rep(double ns_thread, double ns_total, double ops = 1e6) {
  return {{"ops", ops}, {"ns_per_op_thread", ns_thread}, {"ns_per_op_total", ns_total},
          {"ops_per_s_total", 1e9 / ns_total}};
}

// rcbench_extra: fields merged into the "rcbench" object (e.g. {"method_version": 2}).
inline nlohmann::json run_json(const std::vector<BenchSpec>& specs, bool is_virtual = false,
                               const nlohmann::json& rcbench_extra = nlohmann::json::object()) {
  nlohmann::json benchmarks = nlohmann::json::array();
  nlohmann::json metas = nlohmann::json::array();
  for (const BenchSpec& s : specs) {
    const auto name = runjson::BenchmarkName::parse(s.run_name);
    int index = 0;
    for (const Counters& c : s.reps) {
      nlohmann::json e = {{"name", s.run_name}, {"run_name", s.run_name}, {"run_type", "iteration"},
                          {"repetitions", s.reps.size()}, {"repetition_index", index++},
                          {"threads", name.threads}, {"iterations", 1000},
                          {"real_time", c.count("ns_per_op_thread") ? c.at("ns_per_op_thread") * 1000 : 1.0},
                          {"cpu_time", 1.0}, {"time_unit", "ns"}};
      for (const auto& [k, v] : c) e[k] = v;
      benchmarks.push_back(e);
    }
    for (const std::string& msg : s.errors)
      benchmarks.push_back({{"name", s.run_name}, {"run_name", s.run_name}, {"run_type", "iteration"},
                            {"repetition_index", index++}, {"threads", name.threads},
                            {"error_occurred", true}, {"error_message", msg}});
    // A Google Benchmark aggregate, which the report must ignore.
    benchmarks.push_back({{"name", s.run_name + "_mean"}, {"run_name", s.run_name}, {"run_type", "aggregate"},
                          {"aggregate_name", "mean"}, {"threads", name.threads}, {"iterations", 3},
                          {"real_time", 1e9}, {"cpu_time", 1e9}, {"time_unit", "ns"}, {"ns_per_op_thread", 1e9}});
    if (!s.meta.is_null()) {
      nlohmann::json m = s.meta;
      m["name"] = s.run_name;
      metas.push_back(m);
    }
  }
  nlohmann::json doc = {
      {"context", {{"num_cpus", 2}, {"library_build_type", "debug"}}},
      {"benchmarks", benchmarks},
      {"rcbench",
       {{"format", "rcbench-run"},
        {"format_version", 1},
        {"machine", {{"cpu_model", "Test CPU"}, {"virtual", {{"is_virtual", is_virtual}, {"evidence", {"test"}}}}}},
        {"catalog", test_catalog()},
        {"benchmarks", metas}}}};
  doc["rcbench"].update(rcbench_extra);
  return doc;
}

inline runjson::Run make_run(const std::vector<BenchSpec>& specs, bool is_virtual = false,
                             const nlohmann::json& rcbench_extra = nlohmann::json::object()) {
  return runjson::parse_run(run_json(specs, is_virtual, rcbench_extra).dump(), "test-run.json");
}

}  // namespace rcbench::testing
