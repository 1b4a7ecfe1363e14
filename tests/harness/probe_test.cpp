// The coherence probes' protocols (never their timings): each method answers with a
// finite positive figure when a partner runs, counts every round trip exactly across
// runs, and gives up on both sides when the partner never comes.
#include "probe.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <thread>

namespace rcbench::harness {
namespace {

using namespace std::chrono_literals;

// The line values after `n` round trips, every one answered.
void expect_lines_after(const TwoLinePingPong& pp, std::uint64_t n) {
  EXPECT_EQ(pp.ping_line(), n);  // the initiator's last ping
  EXPECT_EQ(pp.pong_line(), n);  // the responder's last answer
}
void expect_lines_after(const OneLineCasPingPong& pp, std::uint64_t n) {
  EXPECT_EQ(pp.line(), 2 * n);  // two successful CASes per round trip
}

// The line values after one side ran alone and gave up.
void expect_lines_after_lone(const TwoLinePingPong& pp, bool initiator) {
  EXPECT_EQ(pp.ping_line(), initiator ? 1u : 0u);  // the initiator pings first, then waits
  EXPECT_EQ(pp.pong_line(), 0u);                    // nobody answered
}
void expect_lines_after_lone(const OneLineCasPingPong& pp, bool initiator) {
  EXPECT_EQ(pp.line(), initiator ? 0u : 1u);  // the responder moves first, then waits
}

struct Outcome {
  std::optional<double> one_way_ns;
  bool responder_answered_all = false;
};

template <class Probe>
Outcome run_pair(Probe& pp) {
  Outcome out;
  std::thread responder([&] { out.responder_answered_all = pp.run_responder(); });
  out.one_way_ns = pp.run_initiator();
  responder.join();
  return out;
}

template <class Probe>
class ProbeTest : public ::testing::Test {};
using Methods = ::testing::Types<TwoLinePingPong, OneLineCasPingPong>;
TYPED_TEST_SUITE(ProbeTest, Methods);

TYPED_TEST(ProbeTest, MeasuresAPositiveFiniteLatencyWithAPartner) {
  TypeParam pp(PingPongShape{5, 20});
  const Outcome out = run_pair(pp);
  ASSERT_TRUE(out.one_way_ns.has_value());
  EXPECT_TRUE(std::isfinite(*out.one_way_ns));
  EXPECT_GT(*out.one_way_ns, 0.0);
  EXPECT_TRUE(out.responder_answered_all);
}

TYPED_TEST(ProbeTest, CountsEveryRoundTripExactlyAndCarriesOnAcrossRuns) {
  // As the calibration row uses it: one object, run again and again by the same pair.
  TypeParam pp(PingPongShape{3, 7});
  for (std::uint64_t run = 1; run <= 3; ++run) {
    const Outcome out = run_pair(pp);
    ASSERT_TRUE(out.one_way_ns.has_value()) << "run " << run;
    ASSERT_TRUE(out.responder_answered_all) << "run " << run;
    expect_lines_after(pp, run * 3 * 7);
  }
}

TYPED_TEST(ProbeTest, InitiatorGivesUpWithoutAPartner) {
  TypeParam pp(PingPongShape{2, 3, 20ms});
  EXPECT_FALSE(pp.run_initiator().has_value());
  expect_lines_after_lone(pp, /*initiator=*/true);
}

TYPED_TEST(ProbeTest, ResponderGivesUpWithoutAPartner) {
  TypeParam pp(PingPongShape{2, 3, 20ms});
  EXPECT_FALSE(pp.run_responder());
  expect_lines_after_lone(pp, /*initiator=*/false);
}

TYPED_TEST(ProbeTest, AnAbandonedProbeStaysAbandonedOnBothSides) {
  // Once one side has given up, a later run gives up on both sides even with a
  // partner: the line values no longer pair up.
  TypeParam pp(PingPongShape{2, 3, 20ms});
  ASSERT_FALSE(pp.run_initiator().has_value());
  const Outcome out = run_pair(pp);
  EXPECT_FALSE(out.one_way_ns.has_value());
  EXPECT_FALSE(out.responder_answered_all);
}

}  // namespace
}  // namespace rcbench::harness
