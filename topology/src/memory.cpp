// Memory placement for counters: first touch or bind, then ask the kernel where the
// pages are.
#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <rcbench/topology/pinning.hpp>

#include "impl.hpp"

namespace rcbench::topo {

namespace {

std::uintptr_t page_size() {
  static const auto size = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  return size;
}

// The start address of every page that [p, p + bytes) overlaps.
std::vector<void*> pages_of(const void* p, std::size_t bytes) {
  const auto begin = reinterpret_cast<std::uintptr_t>(p) & ~(page_size() - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(p) + std::max<std::size_t>(bytes, 1);
  std::vector<void*> pages;
  for (std::uintptr_t page = begin; page < end; page += page_size()) {
    pages.push_back(reinterpret_cast<void*>(page));
  }
  return pages;
}

// Reads and writes back one byte per page: a write fault, so the kernel allocates the page
// now, from this thread, without changing the buffer. The caller owns the buffer: no other
// thread may write it meanwhile.
void touch_pages(void* p, std::size_t bytes) {
  const auto first = reinterpret_cast<std::uintptr_t>(p);
  for (void* page : pages_of(p, bytes)) {
    volatile char* byte =
        reinterpret_cast<volatile char*>(std::max(reinterpret_cast<std::uintptr_t>(page), first));
    *byte = *byte;
  }
}

// The NUMA node holding every page of [p, p + bytes), from move_pages(2) in query mode
// (no target nodes), the call hwloc_get_area_memlocation makes on Linux; it needs no
// Topology, which first_touch does not have. nullopt when the pages are on several nodes
// or one is not present.
std::optional<unsigned> node_of_pages(const void* p, std::size_t bytes) {
  std::vector<void*> pages = pages_of(p, bytes);
  std::vector<int> status(pages.size(), -1);
  const long result =
      syscall(SYS_move_pages, 0, pages.size(), pages.data(), nullptr, status.data(), 0);
  if (result != 0) {
    // A kernel built without NUMA support has exactly one node, node 0.
    if (errno == ENOSYS) return 0U;
    throw TopologyError(
        fmt::format("move_pages could not locate the pages at {}: {}", p, std::strerror(errno)));
  }
  std::optional<unsigned> node;
  for (int where : status) {
    if (where < 0) return std::nullopt;  // -ENOENT: not present yet
    if (node && *node != static_cast<unsigned>(where)) return std::nullopt;
    node = static_cast<unsigned>(where);
  }
  return node;
}

}  // namespace

MemoryPlacement first_touch(void* p, std::size_t bytes) {
  touch_pages(p, bytes);
  return {node_of_pages(p, bytes), "first-touch"};
}

MemoryPlacement bind_to_node(const Topology& topology, void* p, std::size_t bytes, unsigned node) {
  require_this_system(topology, fmt::format("bind memory to NUMA node {}", node));
  hwloc_topology_t t = detail::TopologyAccess::impl(topology).topology.get();
  if (hwloc_get_numanode_obj_by_os_index(t, node) == nullptr) {
    throw TopologyError(
        fmt::format("NUMA node {} does not exist (this machine's nodes: {})", node,
                    to_cpu_list(hwloc_topology_get_topology_nodeset(t)).to_string()));
  }
  HwlocBitmapPtr nodeset = make_bitmap();
  hwloc_bitmap_only(nodeset.get(), node);
  // MIGRATE moves pages already present; STRICT makes a page that cannot move an error
  // instead of a silent stay.
  const int flags = HWLOC_MEMBIND_BYNODESET | HWLOC_MEMBIND_MIGRATE | HWLOC_MEMBIND_STRICT;
  if (hwloc_set_area_membind(t, p, bytes, nodeset.get(), HWLOC_MEMBIND_BIND, flags) != 0) {
    throw TopologyError(fmt::format("the kernel refused to bind {} bytes at {} to NUMA node {}: {}",
                                    bytes, p, node, std::strerror(errno)));
  }
  touch_pages(p, bytes);
  return {node_of_pages(p, bytes), "bind"};
}

std::optional<unsigned> numa_node_of_address(const Topology& topology, const void* p) {
  require_this_system(topology, "locate memory");
  return node_of_pages(p, 1);
}

}  // namespace rcbench::topo
