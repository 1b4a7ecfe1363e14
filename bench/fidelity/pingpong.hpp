// Core-to-core latency by the two published methods, rewritten (not copied) so that
// rcbench's calibration rows can be checked against them on the same two PUs:
//   two-line: rigtorp/c2clat. Each side stores to its own cache line and spins on the
//     other's; a sample is 100 round trips; figure = min over samples of RTT / 2.
//   one-line CAS: nviennot/core-to-core-latency. One line; each side CASes it from
//     the value it waits for to the other's; a sample is 1000 round trips, the first
//     sample is thrown away; that tool reports the mean over samples of RTT / 2
//     (we report its mean and the minimum).
// Both use std::atomic as the originals do: the ops are plain loads, stores and CAS.
#pragma once

#include <array>

namespace rcbench::fidelity {

struct PingPongResult {
  double min_one_way_ns = 0;
  double mean_one_way_ns = 0;
  unsigned samples = 0;  // fewer than asked when the deadline cut the run short
};

// Thread 0 (initiator, timing) on pus[0], the responder on pus[1]. Gives up after
// `deadline_s` (a descheduled vCPU can make one round trip take a time slice) and
// throws std::runtime_error when not even one sample finished.
PingPongResult pingpong_two_line(std::array<unsigned, 2> pus, unsigned samples = 1000, double deadline_s = 5);
PingPongResult pingpong_one_line_cas(std::array<unsigned, 2> pus, unsigned samples = 300, double deadline_s = 5);

}  // namespace rcbench::fidelity
