// One grammar for benchmark names: every name the harness plans (spec.cpp writes it)
// parses back in the run-file reader (reports/run/benchmark_name.cpp) into the spec's
// own fields, for the default and full plans of a 384-PU machine (two packages, SMT,
// several L3s and NUMA nodes: every placement class, compact and scatter, the sampled
// ping-pong matrix, and the shared rows of pairs on two nodes with their mem:<m>).
#include "plan.hpp"
#include "profile.hpp"

#include "rcbench/topology/topology.hpp"
#include "run/run_json.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace rcbench::harness {
namespace {

std::map<std::string, std::string> expected_params(const BenchSpec& s) {
  std::map<std::string, std::string> p;
  if (s.kind == BenchKind::refcount && s.workload == Workload::false_sharing) p["pad"] = std::to_string(s.param);
  if (s.kind == BenchKind::refcount && s.workload == Workload::mixed) p["shared_pct"] = std::to_string(s.param);
  if (s.kind == BenchKind::pingpong && s.matrix_cell)
    p["pair"] = std::to_string(s.pus.at(0)) + "-" + std::to_string(s.pus.at(1));
  return p;
}

std::string expected_second_segment(const BenchSpec& s) {
  switch (s.kind) {
    case BenchKind::refcount: return s.strategy;
    case BenchKind::overhead: return "overhead";
    case BenchKind::pingpong: return "pingpong_" + std::string(to_string(s.method));
  }
  return {};
}

TEST(NameGrammar, EveryPlannedNameOfA384PuMachineParsesBackIntoItsSpec) {
  const auto topo = topo::Topology::from_xml(RCBENCH_384_PU_XML);
  ASSERT_EQ(topo.allowed_pus().pus().size(), 384u);
  std::set<std::string> kinds_seen, mems_seen;
  std::size_t checked = 0;
  for (const char* profile : {"default", "full"}) {
    for (const PlannedBenchmark& pb : make_plan(find_profile(profile), topo, {})) {
      const BenchSpec& s = pb.spec;
      const std::string name = s.run_name();
      SCOPED_TRACE(name);
      const auto parsed = runjson::BenchmarkName::parse(name);
      EXPECT_EQ(parsed.kind, s.kind == BenchKind::refcount ? "refcount" : "calibration");
      EXPECT_EQ(parsed.strategy, expected_second_segment(s));
      EXPECT_EQ(parsed.workload, s.kind == BenchKind::refcount ? std::string(to_string(s.workload)) : "");
      EXPECT_EQ(parsed.params, expected_params(s));
      EXPECT_EQ(parsed.placement, s.placement);
      EXPECT_EQ(parsed.mem, s.memory == ObjectMemory::unplaced ? "" : std::string(to_string(s.memory)));
      EXPECT_EQ(parsed.threads, s.threads());
      EXPECT_EQ(parsed.to_string(), s.family_name() + "/threads:" + std::to_string(s.threads()));
      kinds_seen.insert(parsed.kind + "/" + parsed.strategy.substr(0, 8));
      if (!parsed.mem.empty()) mems_seen.insert(parsed.mem);
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000u);
  EXPECT_TRUE(kinds_seen.count("calibration/pingpong")) << "the matrix and the pair rows were covered";
  EXPECT_TRUE(kinds_seen.count("calibration/overhead"));
  EXPECT_EQ(mems_seen, (std::set<std::string>{"local", "remote"})) << "pairs on two NUMA nodes were covered";
}

}  // namespace
}  // namespace rcbench::harness
