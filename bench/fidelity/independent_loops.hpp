// The independent side of the fidelity check: the same operations as rcbench's rows,
// written again from their definitions (x86_blocks.hpp) and timed by the simplest
// loop that can time them. Shares no code with bench/counters or bench/harness, so a
// fault in rcbench's strategies, loop or clocks shows as a ratio away from 1.
#pragma once

#include <array>
#include <string_view>

namespace rcbench::fidelity {

// False where the asm has not been written (anything but x86-64): the functions
// below then throw std::runtime_error saying so.
bool loops_supported();
std::string_view unsupported_reason();

enum class SingleLoop { empty, plain, atomic, cas, biased_owner, biased_nonowner, immortal,
                        immortal_fallthrough };

// Thread CPU ns per op (incref + decref) of one loop, pinned to `pu`, run for about
// `seconds` of thread CPU time.
double single_thread_ns_per_op(SingleLoop, unsigned pu, double seconds);

// Two threads pinned to pus[0], pus[1], started at one barrier and stopped by one flag
// after a window of `seconds`; wall time, since waiting for the line is the cost.
struct PairWindow {
  std::array<double, 2> ns_per_op{};  // each thread: own (end - begin) / own ops
  double ns_per_op_thread = 0;        // mean of the two
  double ns_per_op_total = 0;         // (last end - first begin) / all ops
  double overlap = 0;                 // (first end - last begin) / (last end - first begin)
};

// Both threads on one counter: lock add + lock xadd pairs.
PairWindow shared_atomic(std::array<unsigned, 2> pus, double seconds);
// Each thread its own counter, `distance` bytes apart (8: one line; 128: two lines
// and clear of the adjacent-line prefetcher); same ops.
PairWindow false_sharing(std::array<unsigned, 2> pus, unsigned distance, double seconds);

}  // namespace rcbench::fidelity
