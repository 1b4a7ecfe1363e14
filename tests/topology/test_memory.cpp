// Memory placement on the machine running the tests. Expectations come from the PU's NUMA
// node as hwloc reports it; on a one-node machine that is node 0.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <rcbench/topology/pinning.hpp>
#include <thread>

namespace rcbench::topo {
namespace {

// Fresh anonymous pages: not present until touched.
struct Pages {
  explicit Pages(std::size_t count)
      : bytes(count * static_cast<std::size_t>(sysconf(_SC_PAGESIZE))) {
    data = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (data == MAP_FAILED) throw std::runtime_error("mmap failed");
  }
  ~Pages() { munmap(data, bytes); }
  Pages(const Pages&) = delete;
  Pages& operator=(const Pages&) = delete;
  std::size_t bytes;
  void* data;
};

TEST(Memory, FirstTouchPlacesPagesOnThePinnedPusNode) {
  const Topology topology = Topology::this_system();
  for (unsigned pu : topology.allowed_pus()) {
    std::thread([&] {
      ThreadPin pin(topology, pu);
      Pages pages(4);
      EXPECT_EQ(numa_node_of_address(topology, pages.data), std::nullopt) << "not touched yet";
      const MemoryPlacement placement = first_touch(pages.data, pages.bytes);
      EXPECT_EQ(placement.method, "first-touch");
      EXPECT_EQ(placement.node, topology.numa_node_of_pu(pu));
      EXPECT_EQ(numa_node_of_address(topology, pages.data), topology.numa_node_of_pu(pu));
    }).join();
  }
}

TEST(Memory, FirstTouchKeepsTheContents) {
  Pages pages(3);
  std::memset(pages.data, 0x5a, pages.bytes);
  first_touch(pages.data, pages.bytes);
  const auto* bytes = static_cast<const unsigned char*>(pages.data);
  for (std::size_t i = 0; i < pages.bytes; ++i) ASSERT_EQ(bytes[i], 0x5a) << i;
}

TEST(Memory, BindToEachNode) {
  const Topology topology = Topology::this_system();
  for (unsigned pu : topology.allowed_pus()) {
    const auto node = topology.numa_node_of_pu(pu);
    if (!node) continue;
    Pages pages(4);
    std::memset(pages.data, 1, pages.bytes);  // present before binding: must be moved
    const MemoryPlacement placement = bind_to_node(topology, pages.data, pages.bytes, *node);
    EXPECT_EQ(placement.method, "bind");
    EXPECT_EQ(placement.node, node);
  }
}

TEST(Memory, BindingRefusesMissingNodesAndOtherMachines) {
  const Topology topology = Topology::this_system();
  Pages pages(1);
  EXPECT_THROW(bind_to_node(topology, pages.data, pages.bytes, 4096), TopologyError);
  const Topology synthetic = Topology::from_synthetic("pack:2 numa:1 core:1 pu:1");
  EXPECT_THROW(bind_to_node(synthetic, pages.data, pages.bytes, 0), TopologyError);
  EXPECT_THROW(numa_node_of_address(synthetic, pages.data), TopologyError);
}

}  // namespace
}  // namespace rcbench::topo
