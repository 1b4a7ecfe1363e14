// The little the independent loops need from the OS, written against Linux directly
// (sched_setaffinity, clock_gettime) so that nothing here goes through rcbench's
// topology or harness code: a bug there cannot hide in both figures.
#pragma once

#include <sched.h>

#include <cstdint>

namespace rcbench::fidelity {

// Pins the calling thread to one PU and puts its previous mask back on destruction
// (the driver's main thread runs rcbench's rows after ours). Throws
// std::runtime_error when the kernel refuses or the thread is not there afterwards.
class PinHere {
 public:
  explicit PinHere(unsigned pu);
  ~PinHere();
  PinHere(const PinHere&) = delete;
  PinHere& operator=(const PinHere&) = delete;

 private:
  cpu_set_t previous_{};
};

// CLOCK_THREAD_CPUTIME_ID in ns: time this thread ran, not time that passed.
std::int64_t thread_cpu_ns();
// CLOCK_MONOTONIC in ns: for the two-thread windows, where waiting is part of the cost.
std::int64_t wall_ns();

}  // namespace rcbench::fidelity
