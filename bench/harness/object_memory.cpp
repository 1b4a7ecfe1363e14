#include "object_memory.hpp"

#include "rcbench/topology/errors.hpp"
#include "rcbench/topology/pinning.hpp"
#include "rcbench/topology/topology.hpp"

#include <fmt/core.h>

namespace rcbench::harness {
namespace {

const topo::Topology& this_system(const topo::Topology* topology) {
  if (topology == nullptr)
    throw topo::TopologyError("a memory placement needs this system's topology, and the run has none");
  return *topology;
}

}  // namespace

std::string_view placement_method(ObjectMemory m) {
  switch (m) {
    case ObjectMemory::local: return "first-touch";
    case ObjectMemory::remote: return "bind";
    case ObjectMemory::unplaced: break;
  }
  return "none";
}

void place_object_page(const BenchSpec& spec, const topo::Topology* topology, AlignedBuffer& page) {
  switch (spec.memory) {
    case ObjectMemory::local:
      // Thread 0 is pinned on spec.memory_node: the kernel's default policy allocates the
      // page there. A process policy that says otherwise (numactl --membind) shows up in
      // the check after the window, as an error row.
      topo::first_touch(page.data(), page.size());
      return;
    case ObjectMemory::remote:
      topo::bind_to_node(this_system(topology), page.data(), page.size(), spec.memory_node);
      return;
    case ObjectMemory::unplaced:
      return;
  }
}

MemoryCheck locate_object_page(const BenchSpec& spec, const topo::Topology* topology, const void* object) {
  MemoryCheck check{spec.memory, spec.memory_node, std::nullopt, ""};
  try {
    check.found = topo::numa_node_of_address(this_system(topology), object);
    if (!check.found) check.failure = "the kernel reports the page as not present";
  } catch (const std::exception& e) {
    check.failure = e.what();
  }
  return check;
}

std::string misplaced_memory(const MemoryCheck& check) {
  if (check.memory == ObjectMemory::unplaced) return {};
  if (!check.found)
    return fmt::format("object memory not located (mem:{} asked for NUMA node {}): {}", to_string(check.memory),
                       check.wanted, check.failure);
  if (*check.found == check.wanted) return {};
  return fmt::format("object memory on NUMA node {}, not on node {} as mem:{} asked", *check.found, check.wanted,
                     to_string(check.memory));
}

}  // namespace rcbench::harness
