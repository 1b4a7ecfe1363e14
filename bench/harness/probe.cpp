#include "probe.hpp"

#include "cpu_relax.hpp"

#include <algorithm>
#include <limits>

namespace rcbench::harness {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

namespace detail {

template <class TryOnce>
bool PingPongBase::spin_until(TryOnce try_once) {
  // The fast path touches nothing but the probe's lines: the clock is consulted only
  // after 4096 unanswered spins, so it neither slows the reply nor inflates the latency.
  for (std::uint32_t spins = 0; spins < 4096; ++spins)
    if (try_once()) return true;
  const auto deadline = Clock::now() + shape_.give_up_after;
  for (std::uint32_t spins = 1;; ++spins) {
    if (try_once()) return true;
    cpu_relax();
    if ((spins & 1023u) == 0) {
      if (abandoned_.load(std::memory_order_relaxed) || Clock::now() > deadline) {
        abandoned_.store(true, std::memory_order_relaxed);  // the partner stops at its next wait
        return false;
      }
    }
  }
}

template <class RoundTrip>
std::optional<double> PingPongBase::min_one_way_ns(RoundTrip round_trip) {
  const unsigned batches = shape_.batches, round_trips = shape_.round_trips;
  double best_ns = std::numeric_limits<double>::infinity();
  for (unsigned b = 0; b < batches; ++b) {
    const auto start = Clock::now();
    for (unsigned r = 0; r < round_trips; ++r)
      if (!round_trip()) return std::nullopt;
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    best_ns = std::min(best_ns, ns);
  }
  return best_ns / (2.0 * round_trips);
}

}  // namespace detail

// ---- TwoLinePingPong (c2clat) ------------------------------------------------------
// Round trip n: the initiator stores n on ping_, the responder waits until ping_ reads
// n and stores n on pong_, the initiator waits until pong_ reads n. Release stores and
// acquire loads: each reply causally follows its ping. Each side starts from its own
// line's value, which only it writes, so a second run carries on from the first.

std::optional<double> TwoLinePingPong::run_initiator() {
  std::uint64_t n = ping_.load(std::memory_order_relaxed);
  return min_one_way_ns([&] {
    ping_.store(++n, std::memory_order_release);
    return spin_until([&] { return pong_.load(std::memory_order_acquire) == n; });
  });
}

bool TwoLinePingPong::run_responder() {
  std::uint64_t n = pong_.load(std::memory_order_relaxed);
  const std::uint64_t total = std::uint64_t{shape_.batches} * shape_.round_trips;
  for (std::uint64_t i = 0; i < total; ++i) {
    ++n;
    if (!spin_until([&] { return ping_.load(std::memory_order_acquire) == n; })) return false;
    pong_.store(n, std::memory_order_release);
  }
  return true;
}

// ---- OneLineCasPingPong (nviennot/core-to-core-latency) ----------------------------
// The spin *is* the CAS, as in nviennot's tool: a side does not read the line and then
// swap, it attempts compare_exchange(turn -> turn + 1) until it succeeds, so every
// attempt asks for the line exclusive. Relaxed, as there: nothing else is published
// through the line. The responder's first CAS of a run answers the initiator's last
// of the previous run (or starts the first run); the initiator's first timed CAS waits
// for it, so every timed CAS waits for one full round trip.

std::optional<double> OneLineCasPingPong::run_initiator() {
  std::uint64_t turn = initiator_turn_;  // odd
  auto result = min_one_way_ns([&] {
    const bool answered = spin_until([&] {
      std::uint64_t expected = turn;
      return line_.compare_exchange_strong(expected, turn + 1, std::memory_order_relaxed);
    });
    turn += 2;
    return answered;
  });
  initiator_turn_ = turn;
  return result;
}

bool OneLineCasPingPong::run_responder() {
  std::uint64_t turn = responder_turn_;  // even
  const std::uint64_t total = std::uint64_t{shape_.batches} * shape_.round_trips;
  for (std::uint64_t i = 0; i < total; ++i, turn += 2) {
    const bool answered = spin_until([&] {
      std::uint64_t expected = turn;
      return line_.compare_exchange_strong(expected, turn + 1, std::memory_order_relaxed);
    });
    if (!answered) return false;
  }
  responder_turn_ = turn;
  return true;
}

}  // namespace rcbench::harness
