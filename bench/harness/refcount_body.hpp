// The Google Benchmark body shared by every refcount benchmark (and the overhead
// calibration), and the ping-pong calibration body. Google Benchmark 1.7.1 starts
// new threads for every run, so each run: thread 0 makes a fresh team; every
// thread pins itself and checks where it runs; probes measure the coherence
// latency between the benchmark's PUs before and after; PAPI (or the OS) counts
// around the window only.
#pragma once

#include "plan.hpp"
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

// This thread's CPU time (CLOCK_THREAD_CPUTIME_ID), ns.
std::int64_t thread_cpu_ns();

// Probe between thread 0 and thread 1 (both call it); for one-thread rows thread 0
// borrows a helper thread on spec.probe_partner_pu. Returns the one-way latency on
// thread 0 when it could be measured.
std::optional<double> probe_pair(const Rendezvous& meet, int me, TwoLinePingPong& pp);

// Thread 0, after every thread has finished: turn the outcomes into counters.
// `exact`: the counts must be conserved (drift 0, no unexpected drop); else `race`
// holds what the race census counted (or nothing, with one thread). `memory`: where a
// placed object's page was asked to be and is (rows with mem:<m>). `gil`: the GIL
// model's protocol counts over the window (gil_cpython rows; published with 2+ threads).
void publish_outcomes(benchmark::State& state, const BenchSpec& spec,
                      const std::vector<ThreadOutcome>& outcomes, std::uint64_t drift, bool exact,
                      std::optional<RaceFigures> race, std::optional<double> probe_before,
                      std::optional<double> probe_after, const std::optional<MemoryCheck>& memory,
                      std::optional<GilWindowCounts> gil);

// One repetition of a refcount row (or of calibration/overhead: the null strategy
// through the identical block). Google Benchmark runs it as one iteration with
// manual time: the iteration is the time window, which is what the row measures.
template <counters::RefCountStrategy S, template <class> class W>
void refcount_body(benchmark::State& state, Rendezvous& meet) {
  using Team = RefcountTeam<S, W>;
  const int me = state.thread_index();
  const auto i = static_cast<std::size_t>(me);
  const BenchSpec& spec = meet.spec;
  const Runtime& rt = *meet.runtime;
  if (me == 0) {
    auto team = std::make_shared<Team>(spec, rt);
    // The profile's min time, or longer for a row whose GIL needs it (plan.hpp).
    team->set_window(std::chrono::duration_cast<WindowClock::duration>(
        std::chrono::duration<double>(row_window_s(spec, rt.window_s))));
    meet.team = std::move(team);
  }
  meet.sync.arrive_and_wait();
  auto team = std::static_pointer_cast<Team>(meet.team);
  RunPin pin(rt, spec.pus[i], team->status);
  if (!team->status.failed()) team->prepare(i);
  RunCounters counters(rt, team->status);
  meet.sync.arrive_and_wait();  // every object exists, every thread pinned (or failed)

  if (team->status.failed()) {
    state.SkipWithError(team->status.error().c_str());
    for (auto _ : state) {
    }
    return;
  }
  const auto before = rt.probes ? probe_pair(meet, me, team->probe_before) : std::nullopt;
  ThreadOutcome& out = team->outcome(i);
  auto& lane = team->lane(i);
  out.pu_before = current_pu_or_minus_one();
  for (auto _ : state) {  // one iteration: Iterations(1)
    // Counters start before the start line: reading them takes microseconds, which
    // would otherwise offset one thread's window from the others'.
    counters.start();
    team->start_line();  // every thread leaves for its window together
    const std::int64_t cpu_begin = thread_cpu_ns();
    out.begin = Clock::now();
    out.ops = team->run_window(i, lane);
    out.end = Clock::now();
    out.cpu_ns = thread_cpu_ns() - cpu_begin;
    counters.stop();
    // Inside the iteration: Google Benchmark's closing barrier follows, and a thread
    // that waited there still holding the GIL would deadlock the others.
    lane.finish();
    out.protocol_errors = lane.errors;
    state.SetIterationTime(std::chrono::duration<double>(out.end - out.begin).count());
  }
  out.pu_after = current_pu_or_minus_one();
  out.perf = counters.values();
  const auto after = rt.probes ? probe_pair(meet, me, team->probe_after) : std::nullopt;
  const auto race = team->race_census(i, meet.sync);  // every thread or none
  meet.sync.arrive_and_wait();  // every outcome written
  if (me == 0) {
    publish_outcomes(state, spec, team->outcomes(), team->count_drift(), !Team::kRacy, race, before,
                     after, team->memory_check(), team->gil_counts());
  }
}

// calibration/pingpong_<method>: one-way latency between the pair's two PUs, by the
// spec's method (two_line: rigtorp/c2clat; one_line_cas: nviennot/core-to-core-latency).
void pingpong_body(benchmark::State& state, Rendezvous& meet);

}  // namespace rcbench::harness
