// Pinning threads to PUs of this system, and memory placement for counters.
//
// Only a Topology loaded from this system can pin: hwloc's XML and synthetic backends
// report success for binding and do nothing, so everything here refuses them with a
// TopologyError rather than pretend.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <rcbench/topology/topology.hpp>
#include <string>

namespace rcbench::topo {

// RAII: binds the calling thread to exactly one allowed PU and checks with sched_getcpu()
// that it runs there before the constructor returns; the destructor restores the
// thread's previous binding. Construct and destroy it on the same thread. Throws
// TopologyError if the topology is not this system, the PU is not allowed, or the kernel
// refuses or does not move the thread.
class ThreadPin {
 public:
  ThreadPin(const Topology& topology, unsigned pu);
  ~ThreadPin();
  ThreadPin(const ThreadPin&) = delete;
  ThreadPin& operator=(const ThreadPin&) = delete;

  unsigned pu() const { return pu_; }

 private:
  struct Saved;
  std::unique_ptr<Saved> saved_;
  unsigned pu_;
};

// The PU the calling thread runs on now (sched_getcpu()). Throws TopologyError if the
// kernel cannot say.
unsigned current_pu();

// Where a buffer's pages are, and how they got there. `node` is the NUMA node OS index
// holding every page, or nullopt when the pages are on several nodes or not present.
struct MemoryPlacement {
  std::optional<unsigned> node;
  std::string method;  // "first-touch" or "bind"
};

// Faults every page of [p, p + bytes) in from the calling thread (reading and writing
// back one byte per page, so the contents are unchanged) and reports where the pages
// are. Pin the thread first: Linux's default policy puts a page on the node of the CPU
// that first touches it. Pages already present stay where they are. A machine with one
// NUMA node reports node 0.
MemoryPlacement first_touch(void* p, std::size_t bytes);

// Binds [p, p + bytes) to NUMA node `node` (OS index), moving pages already present,
// touches every page and reports where they are. Throws TopologyError if the topology is
// not this system, the node does not exist, or the kernel refuses.
MemoryPlacement bind_to_node(const Topology& topology, void* p, std::size_t bytes, unsigned node);

// The NUMA node holding the page at `p`; nullopt if the page is not present yet. Throws
// TopologyError if the topology is not this system.
std::optional<unsigned> numa_node_of_address(const Topology& topology, const void* p);

}  // namespace rcbench::topo
