// What the per-repetition coherence probe costs (issue 9 asks it to be measured
// and stated). It runs outside every timed region; this is how much wall time it
// adds to each repetition. Two cases, as the harness uses them:
//   partner_running  multi-thread rows: the benchmark's own thread 1 answers;
//   helper_thread    one-thread rows: a helper thread is started, pinned, joined.
// Run: build/release/bench/harness/bench_probe_cost --benchmark_min_time=0.5
#include "probe.hpp"

#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <thread>

namespace {

void pin_self(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

void BM_ProbeWithPartnerRunning(benchmark::State& state) {
  pin_self(0);
  for (auto _ : state) {
    state.PauseTiming();
    rcbench::harness::TwoLinePingPong pp;  // the method the harness probes with
    std::atomic<bool> go{false}, ready{false};
    std::thread partner([&] {
      pin_self(1);
      ready.store(true, std::memory_order_release);
      while (!go.load(std::memory_order_acquire)) {
      }
      pp.run_responder();
    });
    while (!ready.load(std::memory_order_acquire)) std::this_thread::yield();
    state.ResumeTiming();
    go.store(true, std::memory_order_release);
    benchmark::DoNotOptimize(pp.run_initiator());
    state.PauseTiming();
    partner.join();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_ProbeWithPartnerRunning)->Name("probe_cost/partner_running")->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ProbeWithHelperThread(benchmark::State& state) {
  pin_self(0);
  for (auto _ : state) {
    rcbench::harness::TwoLinePingPong pp;  // the method the harness probes with
    std::atomic<bool> ready{false};
    std::thread helper([&] {
      pin_self(1);
      ready.store(true, std::memory_order_release);
      pp.run_responder();
    });
    // As the harness does: the new thread starts on this PU; let it move first.
    while (!ready.load(std::memory_order_acquire)) std::this_thread::yield();
    benchmark::DoNotOptimize(pp.run_initiator());
    helper.join();
  }
}
BENCHMARK(BM_ProbeWithHelperThread)->Name("probe_cost/helper_thread")->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
