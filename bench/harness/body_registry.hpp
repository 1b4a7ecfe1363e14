// Which Google Benchmark body runs a planned benchmark: the strategy's and the
// workload's types, picked once at registration.
#pragma once

#include "runtime.hpp"
#include "spec.hpp"

#include <benchmark/benchmark.h>

namespace rcbench::harness {

using Body = void (*)(benchmark::State&, Rendezvous&);

// Throws std::invalid_argument for a strategy it does not know, or a slowdown
// injection on a row it cannot slow down.
Body body_for(const BenchSpec& spec, const Runtime& rt);

}  // namespace rcbench::harness
