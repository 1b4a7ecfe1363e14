// `rcbench matrix`: one pair's one-way latency by each ping-pong method, measured by the
// probes the rest of rcbench uses (probe.hpp: TwoLinePingPong, OneLineCasPingPong), on
// two threads of their own that pin themselves (topo::ThreadPin checks where each runs)
// and check again afterwards that they never moved.
#pragma once

#include "matrix_pairs.hpp"
#include "spec.hpp"

#include "rcbench/topology/topology.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::harness {

// "two_line" | "one_line_cas" (to_string's names); nullopt for anything else.
std::optional<PingPongMethod> parse_pingpong_method(std::string_view);

struct PairResult {
  topo::PuPair pair;
  // Per method (same order as the methods asked for): half the fastest batch's mean round
  // trip, ns; nullopt when not measured (error, or the budget ran out first).
  std::vector<std::optional<double>> one_way_ns;
  std::string error;  // why the pair has no figures ("" when measured)
};

// Measures `pair` with each method in turn, `batches` batches of kRoundTripsPerBatch round
// trips each: pair.a initiates, pair.b responds. A pin that fails or a thread found off
// its PU afterwards gives no figures and an error naming the PU; so does a partner silent
// for the probe's give-up time. Needs a Topology of this system.
PairResult measure_pair(const topo::Topology&, const topo::PuPair& pair, const std::vector<PingPongMethod>& methods,
                        unsigned batches);

struct MatrixRunOutcome {
  std::vector<PairResult> results;  // one per pair, input order
  std::size_t measured = 0;         // pairs with figures
  std::size_t failed = 0;           // pairs with an error
  std::size_t not_reached = 0;      // pairs left when the deadline came
};

// Measures `pairs` in order. Before each pair: if the time left before `deadline` is less
// than the slowest pair so far took, it and the rest are left unmeasured ("budget ran
// out"). `progress(done, total)` is called after every pair.
MatrixRunOutcome measure_pairs(const topo::Topology&, const std::vector<topo::PuPair>& pairs,
                               const std::vector<PingPongMethod>& methods, unsigned batches,
                               std::optional<std::chrono::steady_clock::time_point> deadline,
                               const std::function<void(std::size_t, std::size_t)>& progress);

}  // namespace rcbench::harness
