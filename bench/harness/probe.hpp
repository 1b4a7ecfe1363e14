// Coherence probes: the one-way latency between two pinned threads, measured by
// ping-pong. Two methods, each named after what it does, because their figures
// differ (on the development VM the one-line CAS figure is 0.4-0.5x the two-line
// one, alternated in one process) and a figure means nothing without its method:
//
//   TwoLinePingPong     rigtorp/c2clat. Each side stores to its own cache line and
//                       spins (plain acquire loads) on the other side's line. The
//                       initiator stores round trip n on its line, the responder
//                       sees n there and stores n on its own, the initiator sees
//                       that. A round trip moves each line once from its writer to
//                       its reader (a load miss on a modified line), and each store
//                       first invalidates the copy the other side read last time.
//                       Models a ring buffer or flag handoff (one writer per line).
//   OneLineCasPingPong  nviennot/core-to-core-latency's "single cache line" test.
//                       One line holds a turn counter; each side spins with
//                       compare-exchange from the value that means "my turn" to the
//                       next value. Every attempt, failed or not, takes the line
//                       exclusive, so the line moves by read-for-ownership only.
//                       Models a contended spinlock or refcount word. (nviennot
//                       uses a bool flag; a counter lets the tests count round trips.)
//
// Both report the same statistic: min over batches of (batch time / round trips) / 2,
// i.e. half the fastest batch's mean round trip. The minimum, because every
// disturbance (an interrupt, the host descheduling a vCPU) only ever adds time.
// (c2clat also takes the minimum; nviennot's tool prints the mean over samples.)
// The harness uses TwoLinePingPong before and after every repetition to know which
// host placement ("mode") a repetition ran in (run JSON rcbench.probe_method
// "two_line"), and both as calibration rows (calibration/pingpong_two_line/...,
// calibration/pingpong_one_line_cas/...).
//
// Usage, for either class: two threads call run_initiator() and run_responder() on
// one object at about the same time. The initiator returns the one-way latency in
// ns; the responder returns whether it answered every round trip. If the partner
// does not answer within shape.give_up_after (the clock is consulted only after
// 4096 unanswered spins), the waiting side gives up and marks the probe abandoned,
// and the other side gives up too when it next waits: the initiator returns nullopt,
// the responder false. A probe never hangs a benchmark. An object may be run
// several times (the line values carry on); once abandoned it stays abandoned.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace rcbench::harness {

struct PingPongShape {
  unsigned batches = 20;      // samples: the minimum is taken over these
  unsigned round_trips = 50;  // per batch, so one batch is well above clock resolution
  std::chrono::milliseconds give_up_after{1000};  // partner silent this long: give up
};

namespace detail {

// What both methods share: the shape, the give-up path and the minimum over batches.
// The hot loops stay in the methods (probe.cpp).
class PingPongBase {
 public:
  using Shape = PingPongShape;

 protected:
  explicit PingPongBase(Shape shape) : shape_(shape) {}

  // Calls try_once() until it returns true; false once the partner has been silent
  // for give_up_after or has given up itself.
  template <class TryOnce>
  bool spin_until(TryOnce try_once);
  // Times shape_.batches batches of shape_.round_trips calls of round_trip() (each
  // returns false on give-up): min batch time / round_trips / 2, or nullopt.
  template <class RoundTrip>
  std::optional<double> min_one_way_ns(RoundTrip round_trip);

  Shape shape_;
  alignas(128) std::atomic<bool> abandoned_{false};
};

}  // namespace detail

class TwoLinePingPong : public detail::PingPongBase {
 public:
  TwoLinePingPong() : TwoLinePingPong(Shape{}) {}
  explicit TwoLinePingPong(Shape shape) : PingPongBase(shape) {}

  std::optional<double> run_initiator();
  bool run_responder();

  // For tests, after both sides have returned: each line holds the number of the
  // last round trip its writer completed (equal after complete runs).
  std::uint64_t ping_line() const { return ping_.load(std::memory_order_relaxed); }
  std::uint64_t pong_line() const { return pong_.load(std::memory_order_relaxed); }

 private:
  alignas(128) std::atomic<std::uint64_t> ping_{0};  // written by the initiator only
  alignas(128) std::atomic<std::uint64_t> pong_{0};  // written by the responder only
};

class OneLineCasPingPong : public detail::PingPongBase {
 public:
  OneLineCasPingPong() : OneLineCasPingPong(Shape{}) {}
  explicit OneLineCasPingPong(Shape shape) : PingPongBase(shape) {}

  std::optional<double> run_initiator();
  bool run_responder();

  // For tests, after both sides have returned: the number of successful CASes, two
  // per round trip.
  std::uint64_t line() const { return line_.load(std::memory_order_relaxed); }

 private:
  // Even: the responder's turn (it moves first, as in nviennot's tool); odd: the
  // initiator's. Each side CASes the value it waits for to that value + 1.
  alignas(128) std::atomic<std::uint64_t> line_{0};
  // Each side's next turn value, kept between runs; each touched by one side only,
  // at the start and end of its run, on lines of their own.
  alignas(128) std::uint64_t initiator_turn_ = 1;
  alignas(128) std::uint64_t responder_turn_ = 0;
};

}  // namespace rcbench::harness
