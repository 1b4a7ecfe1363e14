// Memory placement of the shared object (mem:local / mem:remote) on the machine running
// the tests, for every strategy, through the team as the benchmark body drives it: the
// object's page is placed before the object is made in it, and after the window the
// kernel is asked where it is. On a one-node machine "remote" asks for the only node
// there is, which still runs the binding and the query; the vlab guests
// (scripts/vlab-check.sh) run the real cross-node rows. Counts and nodes, not timings.
#include "object_memory.hpp"
#include "refcount_team.hpp"

#include "counters/strategies.hpp"
#include "counters/test_support.hpp"
#include "workloads/private_objects.hpp"
#include "workloads/shared_object.hpp"

#include "rcbench/topology/pinning.hpp"
#include "rcbench/topology/topology.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <string>
#include <thread>
#include <vector>

namespace rcbench::harness {
namespace {

using counters::test::GtestTypes;
using counters::test::StrategyName;

struct PlacedRun {
  std::string failure;               // the team's error ("" when it ran)
  std::optional<MemoryCheck> memory;  // where the page was after the window
  std::uint64_t ops = 0;
};

// The shared workload on two threads pinned to the first and last allowed PU (the
// same PU on a one-PU machine), with the object's page asked for on `node`.
template <class S>
PlacedRun run_shared(const topo::Topology* topology, std::vector<unsigned> pus, ObjectMemory memory,
                     unsigned node) {
  BenchSpec spec;
  spec.strategy = std::string(S::name);
  spec.workload = Workload::shared;
  spec.pus = std::move(pus);
  spec.memory = memory;
  spec.memory_node = node;
  spec.domain.max_threads = 2;
  spec.ops_per_iteration = workloads::SharedObject<S>::kOpsPerBlock;
  Runtime rt;
  rt.topology = topology;
  RefcountTeam<S, workloads::SharedObject> team(spec, rt);
  team.set_window(std::chrono::milliseconds(2));
  std::barrier<> prepared(2);
  std::vector<std::uint64_t> ops(2);
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < 2; ++i) {
    pool.emplace_back([&, i] {
      std::optional<topo::ThreadPin> pin;
      if (topology != nullptr) pin.emplace(*topology, spec.pus[i]);
      team.prepare(i);
      prepared.arrive_and_wait();
      if (team.status.failed()) return;
      auto& lane = team.lane(i);
      team.start_line();
      ops[i] = team.run_window(i, lane);
      lane.finish();
    });
  }
  for (auto& t : pool) t.join();
  PlacedRun out;
  if (team.status.failed()) {
    out.failure = team.status.error();
    return out;
  }
  out.memory = team.memory_check();
  out.ops = ops[0] + ops[1];
  if constexpr (!RefcountTeam<S, workloads::SharedObject>::kRacy) {
    EXPECT_EQ(team.count_drift(), 0u);
  }
  return out;
}

std::vector<unsigned> pair_of(const topo::Topology& t) {
  const auto& allowed = t.allowed_pus().pus();
  return {allowed.front(), allowed.back()};
}

template <class S>
class ObjectMemoryTest : public ::testing::Test {};
using Strategies = GtestTypes<counters::AllStrategies>::type;
TYPED_TEST_SUITE(ObjectMemoryTest, Strategies, StrategyName);

// local: thread 0 (pinned) touches the fresh page first, so it is on thread 0's node;
// remote: bound to thread 1's node. Either way the kernel must say so after the window.
TYPED_TEST(ObjectMemoryTest, ThePageIsOnTheNodeAskedForAfterTheWindow) {
  const topo::Topology topology = topo::Topology::this_system();
  const std::vector<unsigned> pus = pair_of(topology);
  const auto node0 = topology.numa_node_of_pu(pus[0]), node1 = topology.numa_node_of_pu(pus[1]);
  if (!node0 || !node1) GTEST_SKIP() << "a PU of this machine is local to several NUMA nodes or none";
  for (const auto& [memory, node] : {std::pair{ObjectMemory::local, *node0}, std::pair{ObjectMemory::remote, *node1}}) {
    SCOPED_TRACE(std::string(to_string(memory)));
    const PlacedRun run = run_shared<TypeParam>(&topology, pus, memory, node);
    ASSERT_EQ(run.failure, "");
    EXPECT_GT(run.ops, 0u);
    ASSERT_TRUE(run.memory.has_value());
    EXPECT_EQ(run.memory->memory, memory);
    EXPECT_EQ(run.memory->wanted, node);
    EXPECT_EQ(run.memory->found, node) << run.memory->failure;
    EXPECT_EQ(misplaced_memory(*run.memory), "");
  }
}

// The error path through the real query: a first touch by thread 0 puts the page on
// thread 0's node, so a row that claims another node for it must become an error row.
TEST(ObjectMemory, APageOnAnotherNodeThanAskedIsAnErrorNamingBothNodes) {
  const topo::Topology topology = topo::Topology::this_system();
  const std::vector<unsigned> pus = pair_of(topology);
  const auto node0 = topology.numa_node_of_pu(pus[0]);
  if (!node0) GTEST_SKIP() << "PU " << pus[0] << " is local to several NUMA nodes or none";
  const unsigned elsewhere = *node0 + 1;
  const PlacedRun run = run_shared<counters::Atomic>(&topology, pus, ObjectMemory::local, elsewhere);
  ASSERT_EQ(run.failure, "");
  ASSERT_TRUE(run.memory.has_value());
  EXPECT_EQ(run.memory->found, node0);
  EXPECT_EQ(misplaced_memory(*run.memory), "object memory on NUMA node " + std::to_string(*node0) +
                                               ", not on node " + std::to_string(elsewhere) + " as mem:local asked");
}

TEST(ObjectMemory, BindingToANodeThatDoesNotExistFailsTheRun) {
  const topo::Topology topology = topo::Topology::this_system();
  const PlacedRun run = run_shared<counters::Atomic>(&topology, pair_of(topology), ObjectMemory::remote, 4096);
  EXPECT_NE(run.failure.find("NUMA node 4096 does not exist"), std::string::npos) << run.failure;
}

TEST(ObjectMemory, APlacementWithoutThisSystemsTopologyFailsTheRun) {
  const PlacedRun run = run_shared<counters::Atomic>(nullptr, {0, 0}, ObjectMemory::remote, 0);
  EXPECT_NE(run.failure.find("needs this system's topology"), std::string::npos) << run.failure;
}

TEST(ObjectMemory, RowsWithoutAPlacementAreNotChecked) {
  const topo::Topology topology = topo::Topology::this_system();
  const PlacedRun run = run_shared<counters::Atomic>(&topology, pair_of(topology), ObjectMemory::unplaced, 0);
  ASSERT_EQ(run.failure, "");
  EXPECT_FALSE(run.memory.has_value());
  EXPECT_EQ(misplaced_memory(MemoryCheck{}), "");
}

TEST(ObjectMemory, MessagesNameWhatWasAskedAndWhatWasFound) {
  EXPECT_EQ(misplaced_memory({ObjectMemory::remote, 3, 3U, ""}), "");
  EXPECT_EQ(misplaced_memory({ObjectMemory::remote, 3, 1U, ""}),
            "object memory on NUMA node 1, not on node 3 as mem:remote asked");
  EXPECT_EQ(misplaced_memory({ObjectMemory::local, 2, std::nullopt, "the kernel reports the page as not present"}),
            "object memory not located (mem:local asked for NUMA node 2): the kernel reports the page as not present");
  EXPECT_EQ(placement_method(ObjectMemory::local), "first-touch");
  EXPECT_EQ(placement_method(ObjectMemory::remote), "bind");
}

// A workload with no one object to place must not run a row that claims a placement.
TEST(ObjectMemory, OnlyTheSharedWorkloadCanBePlaced) {
  BenchSpec spec;
  spec.strategy = "atomic";
  spec.workload = Workload::private_objects;
  spec.pus = {0, 0};
  spec.memory = ObjectMemory::remote;
  spec.domain.max_threads = 2;
  Runtime rt;
  RefcountTeam<counters::Atomic, workloads::PrivateObjects> team(spec, rt);
  EXPECT_TRUE(team.status.failed());
  EXPECT_NE(team.status.error().find("places no memory"), std::string::npos) << team.status.error();
}

}  // namespace
}  // namespace rcbench::harness
