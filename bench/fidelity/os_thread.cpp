#include "os_thread.hpp"

#include <time.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace rcbench::fidelity {

PinHere::PinHere(unsigned pu) {
  if (sched_getaffinity(0, sizeof previous_, &previous_) != 0)
    throw std::runtime_error(std::string("sched_getaffinity: ") + std::strerror(errno));
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(pu, &one);
  if (sched_setaffinity(0, sizeof one, &one) != 0)
    throw std::runtime_error("cannot pin to PU " + std::to_string(pu) + ": " + std::strerror(errno));
  // The kernel moves the thread before sched_setaffinity returns; check anyway, a
  // figure from the wrong PU must not be reported as this one's.
  if (const int now = sched_getcpu(); now != static_cast<int>(pu)) {
    sched_setaffinity(0, sizeof previous_, &previous_);
    throw std::runtime_error("pinned to PU " + std::to_string(pu) + " but running on " + std::to_string(now));
  }
}

PinHere::~PinHere() { sched_setaffinity(0, sizeof previous_, &previous_); }

namespace {
std::int64_t read_clock(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace

std::int64_t thread_cpu_ns() { return read_clock(CLOCK_THREAD_CPUTIME_ID); }
std::int64_t wall_ns() { return read_clock(CLOCK_MONOTONIC); }

}  // namespace rcbench::fidelity
