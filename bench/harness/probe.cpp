#include "probe.hpp"

#include <algorithm>
#include <chrono>
#include <limits>

namespace rcbench::harness {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kGiveUpAfter = std::chrono::seconds(1);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace

bool PingPong::wait_for(std::uint64_t value) {
  // The fast path reads nothing but the line: the clock is consulted only after
  // 4096 unanswered spins, so it neither slows the reply nor inflates the latency.
  for (std::uint32_t spins = 0; spins < 4096; ++spins)
    if (line_.load(std::memory_order_acquire) == value) return true;
  const auto deadline = Clock::now() + kGiveUpAfter;
  for (std::uint32_t spins = 1;; ++spins) {
    if (line_.load(std::memory_order_acquire) == value) return true;
    cpu_relax();
    if ((spins & 1023u) == 0) {
      if (abandoned_.load(std::memory_order_relaxed) || Clock::now() > deadline) {
        abandoned_.store(true, std::memory_order_relaxed);
        return false;
      }
    }
  }
}

std::optional<double> PingPong::run_initiator() {
  double best_ns = std::numeric_limits<double>::infinity();
  std::uint64_t v = 0;
  for (unsigned b = 0; b < shape_.batches; ++b) {
    const auto start = Clock::now();
    for (unsigned r = 0; r < shape_.round_trips; ++r) {
      line_.store(++v, std::memory_order_release);  // ping: odd values
      if (!wait_for(++v)) return std::nullopt;      // pong: even values
    }
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    best_ns = std::min(best_ns, ns);
  }
  return best_ns / (2.0 * shape_.round_trips);
}

void PingPong::run_responder() {
  std::uint64_t v = 0;
  const std::uint64_t total = std::uint64_t{shape_.batches} * shape_.round_trips;
  for (std::uint64_t i = 0; i < total; ++i) {
    if (!wait_for(++v)) return;
    line_.store(++v, std::memory_order_release);
  }
}

}  // namespace rcbench::harness
