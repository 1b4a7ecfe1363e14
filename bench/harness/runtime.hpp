// Process-wide state shared by every registered benchmark of one `rcbench run`,
// and the per-benchmark Rendezvous that carries a run's team from Google Benchmark's
// thread 0 to the others.
#pragma once

#include "spec.hpp"

#include <barrier>
#include <cstdint>
#include <memory>
#include <string>

namespace rcbench::topo { class Topology; }
namespace rcbench::perf { struct EventSelection; }

namespace rcbench::harness {

// Test-only: make one strategy do `percent`% extra real ops per counted op, so the
// gate's self-test can check that it sees a slowdown of known size.
struct InjectedSlowdown {
  std::string strategy;
  unsigned percent = 0;
  bool applies_to(std::string_view s) const { return percent > 0 && s == strategy; }
};

struct Runtime {
  const topo::Topology* topology = nullptr;
  const perf::EventSelection* events = nullptr;  // null: no counters at all
  InjectedSlowdown slowdown;
  bool probes = true;
  double window_s = 0.02;  // the profile's min_time: each repetition's window (a GIL row's may be longer: row_window_s)
};

// Where the threads of one registered benchmark meet: one per
// registered benchmark, living for the whole process. Google Benchmark 1.7.1
// makes new threads for every run (iteration probe, repetition), so nothing but
// this object persists between runs.
struct Rendezvous {
  Rendezvous(BenchSpec s, const Runtime* rt)
      : spec(std::move(s)), runtime(rt), sync(static_cast<std::ptrdiff_t>(spec.pus.size())) {}
  BenchSpec spec;
  const Runtime* runtime;
  std::barrier<> sync;           // all of the benchmark's threads, every phase of every run
  std::shared_ptr<void> team;    // this run's shared state, made by thread 0
};

}  // namespace rcbench::harness
