// Pinning the calling thread to one PU of this system, verified.
#include <fmt/format.h>
#include <pthread.h>
#include <sched.h>

#include <cerrno>
#include <cstring>
#include <rcbench/topology/pinning.hpp>

#include "impl.hpp"

namespace rcbench::topo {

void require_this_system(const Topology& topology, std::string_view action) {
  if (!topology.is_this_system()) {
    throw TopologyError(fmt::format(
        "cannot {} with the topology of {}: it is not this system (hwloc's XML and synthetic "
        "backends pretend that binding succeeds)",
        action, topology.source()));
  }
}

unsigned current_pu() {
  const int cpu = sched_getcpu();
  if (cpu < 0) {
    throw TopologyError(fmt::format("sched_getcpu() failed: {}", std::strerror(errno)));
  }
  return static_cast<unsigned>(cpu);
}

struct ThreadPin::Saved {
  std::shared_ptr<const TopologyImpl> impl;  // keeps the hwloc topology alive
  pthread_t thread{};
  HwlocBitmapPtr previous;
};

ThreadPin::ThreadPin(const Topology& topology, unsigned pu) : pu_(pu) {
  require_this_system(topology, fmt::format("pin a thread to PU {}", pu));
  const TopologyImpl& impl = detail::TopologyAccess::impl(topology);
  const PuRecord& record = impl.at(pu);
  if (!topology.allowed_pus().contains(pu)) {
    throw TopologyError(
        fmt::format("cannot pin a thread to PU {}: it is not allowed (allowed PUs: {})", pu,
                    topology.allowed_pus().to_string()));
  }
  hwloc_topology_t t = impl.topology.get();
  saved_ = std::make_unique<Saved>();
  saved_->impl = detail::TopologyAccess::shared(topology);
  saved_->thread = pthread_self();
  saved_->previous = make_bitmap();
  if (hwloc_get_thread_cpubind(t, saved_->thread, saved_->previous.get(), 0) != 0) {
    throw TopologyError(
        fmt::format("cannot read the calling thread's CPU binding: {}", std::strerror(errno)));
  }
  if (hwloc_set_thread_cpubind(t, saved_->thread, record.object->cpuset, HWLOC_CPUBIND_STRICT) !=
      0) {
    throw TopologyError(
        fmt::format("the kernel refused to pin the thread to PU {}: {}", pu, std::strerror(errno)));
  }
  // Linux migrates the caller before sched_setaffinity returns, so a mismatch here means
  // the binding did not take effect (a container ignoring it, a PU going offline).
  const unsigned running_on = current_pu();
  if (running_on != pu) {
    hwloc_set_thread_cpubind(t, saved_->thread, saved_->previous.get(), 0);
    throw TopologyError(fmt::format(
        "pinned the thread to PU {} but it runs on PU {}: the binding did not take effect", pu,
        running_on));
  }
}

ThreadPin::~ThreadPin() {
  // Nothing to report from a destructor: if restoring fails, the thread stays pinned to
  // its PU, which is still correct, only narrower.
  hwloc_set_thread_cpubind(saved_->impl->topology.get(), saved_->thread, saved_->previous.get(), 0);
}

}  // namespace rcbench::topo
