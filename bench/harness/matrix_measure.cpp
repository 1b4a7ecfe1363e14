#include "matrix_measure.hpp"

#include "probe.hpp"

#include "rcbench/topology/pinning.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <thread>
#include <variant>

namespace rcbench::harness {

std::optional<PingPongMethod> parse_pingpong_method(std::string_view name) {
  for (auto m : {PingPongMethod::two_line, PingPongMethod::one_line_cas})
    if (to_string(m) == name) return m;
  return std::nullopt;
}

namespace {

using Probe = std::variant<TwoLinePingPong, OneLineCasPingPong>;

}  // namespace

PairResult measure_pair(const topo::Topology& topology, const topo::PuPair& pair,
                        const std::vector<PingPongMethod>& methods, unsigned batches) {
  PairResult result{pair, std::vector<std::optional<double>>(methods.size()), {}};
  // One fresh probe per method, both sides sharing it; the same shape as the run's
  // calibration rows' batches (round trips per batch), `batches` of them.
  const PingPongShape shape{batches, kRoundTripsPerBatch};
  std::vector<std::unique_ptr<Probe>> probes;
  for (auto m : methods)
    probes.push_back(m == PingPongMethod::two_line ? std::make_unique<Probe>(std::in_place_type<TwoLinePingPong>, shape)
                                                   : std::make_unique<Probe>(std::in_place_type<OneLineCasPingPong>, shape));
  std::barrier<> sync(2);
  std::atomic<bool> pin_failed{false};
  std::string errors[2];
  auto side = [&](int me) {
    const unsigned pu = me == 0 ? pair.a : pair.b;
    std::optional<topo::ThreadPin> pin;
    try {
      pin.emplace(topology, pu);
    } catch (const std::exception& e) {
      errors[me] = fmt::format("could not pin to PU {}: {}", pu, e.what());
      pin_failed.store(true);
    }
    sync.arrive_and_wait();  // both pinned, or both give up
    if (pin_failed.load()) return;
    for (std::size_t i = 0; i < methods.size(); ++i) {
      std::visit(
          [&](auto& probe) {
            if (me == 0) {
              result.one_way_ns[i] = probe.run_initiator();
              if (!result.one_way_ns[i])
                errors[0] = fmt::format("{}: PU {} did not answer (partner silent past the give-up time)",
                                        to_string(methods[i]), pair.b);
            } else {
              probe.run_responder();
            }
          },
          *probes[i]);
      sync.arrive_and_wait();  // the next method starts on both sides together
    }
    // As the calibration rows: a thread found off its PU voids the pair's figures.
    const unsigned now = topo::current_pu();
    if (now != pu) errors[me] = fmt::format("thread not on its PU: asked for PU {}, ran on {}", pu, now);
  };
  std::thread responder(side, 1);
  std::thread initiator(side, 0);
  initiator.join();
  responder.join();
  for (const auto& e : errors)
    if (!e.empty()) result.error += (result.error.empty() ? "" : "; ") + e;
  if (!result.error.empty()) std::fill(result.one_way_ns.begin(), result.one_way_ns.end(), std::nullopt);
  return result;
}

MatrixRunOutcome measure_pairs(const topo::Topology& topology, const std::vector<topo::PuPair>& pairs,
                               const std::vector<PingPongMethod>& methods, unsigned batches,
                               std::optional<std::chrono::steady_clock::time_point> deadline,
                               const std::function<void(std::size_t, std::size_t)>& progress) {
  using Clock = std::chrono::steady_clock;
  MatrixRunOutcome out;
  out.results.reserve(pairs.size());
  Clock::duration slowest{};
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto start = Clock::now();
    if (deadline && start + slowest > *deadline) {
      for (std::size_t j = i; j < pairs.size(); ++j)
        out.results.push_back({pairs[j], std::vector<std::optional<double>>(methods.size()),
                               "not measured: the budget ran out"});
      out.not_reached = pairs.size() - i;
      break;
    }
    out.results.push_back(measure_pair(topology, pairs[i], methods, batches));
    slowest = std::max(slowest, Clock::now() - start);
    if (out.results.back().error.empty()) ++out.measured; else ++out.failed;
    if (progress) progress(i + 1, pairs.size());
  }
  return out;
}

}  // namespace rcbench::harness
