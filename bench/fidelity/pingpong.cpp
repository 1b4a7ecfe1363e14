#include "pingpong.hpp"

#include "os_thread.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace rcbench::fidelity {
namespace {

// The harness around both methods: pin both sides, meet, run, and stop both when
// the initiator's deadline passes. `initiator(abort)` returns per-sample one-way ns;
// `responder(abort)` returns when done or aborted.
template <class Initiator, class Responder>
PingPongResult run_pair(std::array<unsigned, 2> pus, Initiator initiator, Responder responder) {
  alignas(128) std::atomic<int> arrived{0};
  alignas(128) std::atomic<bool> abort{false};
  std::exception_ptr failure[2];
  std::vector<double> one_way;
  auto meet = [&] {
    arrived.fetch_add(1);
    while (arrived.load() < 2) {
    }
  };
  std::thread t1([&] {
    try {
      PinHere pin(pus[1]);
      meet();
      responder(abort);
    } catch (...) {
      failure[1] = std::current_exception();
      abort.store(true);
      arrived.fetch_add(2);
    }
  });
  try {
    PinHere pin(pus[0]);
    meet();
    one_way = initiator(abort);
  } catch (...) {
    failure[0] = std::current_exception();
    abort.store(true);
    arrived.fetch_add(2);
  }
  abort.store(true);  // a responder still waiting for a round trip that will not come
  t1.join();
  for (auto& f : failure)
    if (f) std::rethrow_exception(f);
  if (one_way.empty()) throw std::runtime_error("ping-pong: no sample finished before the deadline");
  PingPongResult r;
  r.samples = static_cast<unsigned>(one_way.size());
  r.min_one_way_ns = *std::min_element(one_way.begin(), one_way.end());
  double sum = 0;
  for (double v : one_way) sum += v;
  r.mean_one_way_ns = sum / static_cast<double>(one_way.size());
  return r;
}

}  // namespace

PingPongResult pingpong_two_line(std::array<unsigned, 2> pus, unsigned samples, double deadline_s) {
  constexpr std::int64_t kRoundTrips = 100;  // per sample, as c2clat
  // Two adjacent 64-byte lines, as c2clat's two alignas(64) atomics.
  struct Lines {
    alignas(64) std::atomic<std::int64_t> ping{-1};  // written by the initiator
    alignas(64) std::atomic<std::int64_t> pong{-1};  // written by the responder
  };
  auto lines = std::make_unique<Lines>();
  Lines& l = *lines;
  // The sequence number grows across samples (c2clat resets it to -1 between
  // samples; a monotonic one needs no reset and times the same round trips).
  const std::int64_t total = std::int64_t{samples} * kRoundTrips;
  auto responder = [&l, total](std::atomic<bool>& abort) {
    for (std::int64_t k = 0; k < total; ++k) {
      while (l.ping.load(std::memory_order_acquire) != k)
        if (abort.load(std::memory_order_relaxed)) return;
      l.pong.store(k, std::memory_order_release);
    }
  };
  auto initiator = [&l, samples, deadline_s](std::atomic<bool>& abort) {
    std::vector<double> out;
    const std::int64_t deadline = wall_ns() + static_cast<std::int64_t>(deadline_s * 1e9);
    std::int64_t k = 0;
    for (unsigned m = 0; m < samples; ++m) {
      const std::int64_t t0 = wall_ns();
      for (std::int64_t n = 0; n < kRoundTrips; ++n, ++k) {
        l.ping.store(k, std::memory_order_release);
        while (l.pong.load(std::memory_order_acquire) != k)
          if (abort.load(std::memory_order_relaxed)) return out;
      }
      const std::int64_t t1 = wall_ns();
      out.push_back(static_cast<double>(t1 - t0) / kRoundTrips / 2);
      if (t1 > deadline) break;
    }
    return out;
  };
  return run_pair(pus, initiator, responder);
}

PingPongResult pingpong_one_line_cas(std::array<unsigned, 2> pus, unsigned samples, double deadline_s) {
  constexpr std::int64_t kRoundTrips = 1000;  // per sample, as core-to-core-latency
  constexpr bool kPing = false, kPong = true;
  struct Line {
    alignas(128) std::atomic<bool> flag{kPing};
  };
  auto line = std::make_unique<Line>();
  std::atomic<bool>& flag = line->flag;
  const std::int64_t total = std::int64_t{samples + 1} * kRoundTrips;  // + the discarded first
  auto responder = [&flag, total](std::atomic<bool>& abort) {
    for (std::int64_t k = 0; k < total; ++k) {
      bool expected = kPing;
      while (!flag.compare_exchange_strong(expected, kPong, std::memory_order_relaxed)) {
        expected = kPing;
        if (abort.load(std::memory_order_relaxed)) return;
      }
    }
  };
  auto initiator = [&flag, samples, deadline_s](std::atomic<bool>& abort) {
    std::vector<double> out;
    const std::int64_t deadline = wall_ns() + static_cast<std::int64_t>(deadline_s * 1e9);
    for (unsigned m = 0; m <= samples; ++m) {
      const std::int64_t t0 = wall_ns();
      for (std::int64_t n = 0; n < kRoundTrips; ++n) {
        bool expected = kPong;
        while (!flag.compare_exchange_strong(expected, kPing, std::memory_order_relaxed)) {
          expected = kPong;
          if (abort.load(std::memory_order_relaxed)) return out;
        }
      }
      const std::int64_t t1 = wall_ns();
      if (m > 0) out.push_back(static_cast<double>(t1 - t0) / kRoundTrips / 2);  // first: warm-up
      if (t1 > deadline) break;
    }
    return out;
  };
  return run_pair(pus, initiator, responder);
}

}  // namespace rcbench::fidelity
