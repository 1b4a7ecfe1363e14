// How long the planner takes on the largest machine in tests/data (2x AMD EPYC 9654,
// 384 PUs, 24 L3s): loading the XML, the summary, representative pairs and plans. Not a
// test: run `bench_topology_plan` and read the times (per call, single thread).
#include <benchmark/benchmark.h>

#include <rcbench/topology/topology.hpp>
#include <string>

namespace {

using rcbench::topo::PlacementClass;
using rcbench::topo::Policy;
using rcbench::topo::Topology;

const std::string kZen4 = std::string(RCBENCH_TOPOLOGY_DATA_DIR) + "/AMD-19h-Zen4-2xEpyc-9654.xml";

const Topology& zen4() {
  static const Topology topology = Topology::from_xml(kZen4);
  return topology;
}

void BM_LoadXml(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Topology::from_xml(kZen4));
}
BENCHMARK(BM_LoadXml)->Unit(benchmark::kMillisecond);

void BM_RepresentativePairs(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(zen4().representative_pairs(true));
}
BENCHMARK(BM_RepresentativePairs)->Unit(benchmark::kMicrosecond);

void BM_Summary(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(zen4().summary());
}
BENCHMARK(BM_Summary)->Unit(benchmark::kMicrosecond);

void BM_Plan(benchmark::State& state, Policy policy, PlacementClass within) {
  const auto threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(zen4().plan({threads, policy, within}));
}
BENCHMARK_CAPTURE(BM_Plan, compact, Policy::compact, PlacementClass::l3)
    ->Arg(2)
    ->Arg(384)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Plan, scatter, Policy::scatter, PlacementClass::l3)
    ->Arg(2)
    ->Arg(384)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Plan, within_l3, Policy::within, PlacementClass::l3)
    ->Arg(2)
    ->Arg(16)
    ->Unit(benchmark::kMicrosecond);

void BM_LoadPairsPlan(benchmark::State& state) {
  for (auto _ : state) {
    const Topology topology = Topology::from_xml(kZen4);
    benchmark::DoNotOptimize(topology.representative_pairs());
    benchmark::DoNotOptimize(topology.plan({8, Policy::scatter}));
  }
}
BENCHMARK(BM_LoadPairsPlan)->Unit(benchmark::kMillisecond);

void BM_AllPairs(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(zen4().all_pairs());
}
BENCHMARK(BM_AllPairs)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
