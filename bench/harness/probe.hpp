// A coherence probe: c2clat's ping-pong between two pinned threads on one cache
// line. The result is the one-way latency, min over batches of round trips / 2:
// the minimum, because every disturbance (an interrupt, the host descheduling a
// vCPU) only ever adds time. Used as a calibration row and before/after every
// repetition to know which host placement ("mode") a repetition really ran in.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

namespace rcbench::harness {

struct PingPongShape {
  unsigned batches = 20;      // samples: the minimum is taken over these
  unsigned round_trips = 50;  // per batch, so one batch is well above clock resolution
};

class PingPong {
 public:
  using Shape = PingPongShape;
  PingPong() : PingPong(Shape{}) {}
  explicit PingPong(Shape shape) : shape_(shape) {}

  // Both threads call run() at about the same time, one as initiator (returns the
  // one-way latency in ns) and one as responder (returns nullopt). Gives up, and
  // returns nullopt on both sides, if the partner does not answer within ~1 s: a
  // probe must never hang a benchmark.
  std::optional<double> run_initiator();
  void run_responder();

 private:
  bool wait_for(std::uint64_t value);

  Shape shape_;
  alignas(128) std::atomic<std::uint64_t> line_{0};
  alignas(128) std::atomic<bool> abandoned_{false};
};

}  // namespace rcbench::harness
