// The Google Benchmark body shared by every refcount benchmark, and the two
// calibration bodies. Google Benchmark 1.7.1 starts new threads for every run, so
// each run: thread 0 makes a fresh team; every thread pins itself and checks
// where it runs; probes measure the coherence latency between the benchmark's PUs
// before and after; PAPI (or the OS) counts around the timed region only.
#pragma once

#include "refcount_team.hpp"
#include "runtime.hpp"

#include <benchmark/benchmark.h>

namespace rcbench::harness {

// Pins the calling thread for the whole run and restores its previous binding
// afterwards (thread 0 is Google Benchmark's main thread and runs every benchmark).
class RunPin {
 public:
  RunPin(const Runtime& rt, unsigned pu, TeamStatus& status);
  ~RunPin();
  RunPin(const RunPin&) = delete;
  RunPin& operator=(const RunPin&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Per-thread counters (PAPI or the OS), made after pinning; null when disabled.
class RunCounters {
 public:
  RunCounters(const Runtime& rt, TeamStatus& status);
  ~RunCounters();
  RunCounters(const RunCounters&) = delete;
  RunCounters& operator=(const RunCounters&) = delete;
  void start();
  void stop();
  std::vector<std::pair<std::string, long long>> values() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

int current_pu_or_minus_one();

// Runs `body` once per Google Benchmark iteration. The last iteration stops the
// clock and the counters and calls `finish` (the strategy's detach) *inside* the
// loop: Google Benchmark's closing barrier comes right after it, and a thread
// that waited there still holding the GIL would deadlock the others.
template <class Body, class Finish>
void timed_loop(benchmark::State& state, ThreadOutcome& out, RunCounters& counters, Body&& body,
                Finish&& finish) {
  const benchmark::IterationCount n = state.max_iterations;
  benchmark::IterationCount i = 0;
  for (auto _ : state) {
    if (i == 0) [[unlikely]] {
      counters.start();
      out.begin = Clock::now();
    }
    body();
    if (++i == n) [[unlikely]] {
      out.end = Clock::now();
      counters.stop();
      finish();
    }
  }
  out.ops = static_cast<std::uint64_t>(i);
}

// Probe between thread 0 and thread 1 (both call it); for one-thread rows thread 0
// borrows a helper thread on spec.probe_partner_pu. Returns the one-way latency on
// thread 0 when it could be measured.
std::optional<double> probe_pair(const Gate& gate, int me, PingPong& pp);

// Thread 0, after every thread has finished: turn the outcomes into counters.
void publish_outcomes(benchmark::State& state, const BenchSpec& spec,
                      const std::vector<ThreadOutcome>& outcomes, std::uint64_t drift,
                      bool race_free, std::optional<double> probe_before,
                      std::optional<double> probe_after);

template <counters::RefCountStrategy S>
void refcount_body(benchmark::State& state, Gate& gate) {
  using Team = RefcountTeam<S>;
  const int me = state.thread_index();
  const BenchSpec& spec = gate.spec;
  const Runtime& rt = *gate.runtime;
  if (me == 0) {
    const unsigned extra = rt.slowdown.applies_to(spec.strategy) ? rt.slowdown.percent : 0;
    gate.team = std::make_shared<Team>(spec, extra);
  }
  gate.sync.arrive_and_wait();
  auto team = std::static_pointer_cast<Team>(gate.team);
  RunPin pin(rt, spec.pus[static_cast<std::size_t>(me)], team->status);
  if (!team->status.failed()) team->prepare(static_cast<std::size_t>(me));
  RunCounters counters(rt, team->status);
  gate.sync.arrive_and_wait();  // every object exists, every thread pinned (or failed)

  if (team->status.failed()) {
    state.SkipWithError(team->status.error().c_str());
    for (auto _ : state) {
    }
    return;
  }
  const auto before = rt.probes ? probe_pair(gate, me, team->probe_before) : std::nullopt;
  ThreadOutcome& out = team->outcome(static_cast<std::size_t>(me));
  out.pu_before = current_pu_or_minus_one();
  team->run(static_cast<std::size_t>(me), [&](auto&& body, auto&& finish) {
    timed_loop(state, out, counters, body, finish);
  });
  out.pu_after = current_pu_or_minus_one();
  out.perf = counters.values();
  const auto after = rt.probes ? probe_pair(gate, me, team->probe_after) : std::nullopt;
  gate.sync.arrive_and_wait();  // every outcome written
  if (me == 0) {
    publish_outcomes(state, spec, team->outcomes(), team->count_drift(), S::race_free, before,
                     after);
  }
}

// calibration/overhead: the loop, the poll and the op call with an op that does
// nothing, so every table can subtract what the harness itself costs.
void overhead_body(benchmark::State& state, Gate& gate);
// calibration/pingpong: c2clat's one-way latency between the pair's two PUs.
void pingpong_body(benchmark::State& state, Gate& gate);

}  // namespace rcbench::harness
