// Pinning on the machine running the tests. Checks use sched_getaffinity/sched_getcpu
// directly, not the library.
#include <gtest/gtest.h>
#include <sched.h>

#include <cstdlib>
#include <rcbench/topology/pinning.hpp>
#include <string>
#include <thread>

namespace rcbench::topo {
namespace {

CpuList affinity_of_calling_thread() {
  cpu_set_t set;
  CPU_ZERO(&set);
  EXPECT_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
  std::vector<unsigned> pus;
  for (unsigned cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) pus.push_back(cpu);
  }
  return CpuList(std::move(pus));
}

TEST(ThisSystem, AllowedSetIsTheAffinityMask) {
  const Topology topology = Topology::this_system();
  EXPECT_TRUE(topology.is_this_system());
  EXPECT_EQ(topology.source(), "this system");
  EXPECT_FALSE(topology.allowed_pus().empty());
  EXPECT_TRUE(topology.allowed_pus().is_subset_of(topology.summary().machine_pus));
  // No cgroup cpuset narrower than the affinity mask is expected on a test machine; if
  // there is one, the allowed set is smaller still, never larger.
  EXPECT_TRUE(topology.allowed_pus().is_subset_of(affinity_of_calling_thread()));
}

// Run by ctest under `taskset -c 0` with RCBENCH_EXPECT_ALLOWED=0 (see CMakeLists.txt).
TEST(ThisSystem, AllowedSetFollowsTaskset) {
  const char* expected = std::getenv("RCBENCH_EXPECT_ALLOWED");
  if (expected == nullptr) GTEST_SKIP() << "only meaningful under taskset (ctest runs it so)";
  const Topology topology = Topology::this_system();
  EXPECT_EQ(topology.allowed_pus(), CpuList::parse(expected));
  const MachineSummary summary = topology.summary();
  EXPECT_EQ(summary.allowed_is_restricted(), summary.pus > topology.allowed_pus().size());
  EXPECT_THROW(topology.plan({2, Policy::compact}), PlanError);
}

TEST(Pinning, EveryAllowedPuRunsTheThreadWherePinned) {
  const Topology topology = Topology::this_system();
  for (unsigned pu : topology.allowed_pus()) {
    std::thread([&] {
      const CpuList before = affinity_of_calling_thread();
      {
        ThreadPin pin(topology, pu);
        EXPECT_EQ(pin.pu(), pu);
        EXPECT_EQ(current_pu(), pu);
        EXPECT_EQ(static_cast<unsigned>(sched_getcpu()), pu);
        EXPECT_EQ(affinity_of_calling_thread(), CpuList{pu});
      }
      EXPECT_EQ(affinity_of_calling_thread(), before) << "the guard restores the old mask";
    }).join();
  }
}

TEST(Pinning, NestedPinsRestoreInOrder) {
  const Topology topology = Topology::this_system();
  const unsigned first = topology.allowed_pus().pus().front();
  const unsigned last = topology.allowed_pus().pus().back();
  std::thread([&] {
    const CpuList before = affinity_of_calling_thread();
    {
      ThreadPin outer(topology, first);
      {
        ThreadPin inner(topology, last);
        EXPECT_EQ(current_pu(), last);
      }
      EXPECT_EQ(affinity_of_calling_thread(), CpuList{first});
    }
    EXPECT_EQ(affinity_of_calling_thread(), before);
  }).join();
}

TEST(Pinning, RefusesTopologiesThatAreNotThisSystem) {
  const Topology synthetic = Topology::from_synthetic("pack:1 core:2 pu:1");
  try {
    ThreadPin pin(synthetic, 0);
    FAIL() << "pinned with a synthetic topology";
  } catch (const TopologyError& error) {
    EXPECT_NE(std::string(error.what()).find("not this system"), std::string::npos) << error.what();
  }
  const Topology xml =
      Topology::from_xml(std::string(RCBENCH_TOPOLOGY_DATA_DIR) + "/AMD-19h-Zen4-2xEpyc-9654.xml");
  EXPECT_THROW(ThreadPin(xml, 0), TopologyError);
}

TEST(Pinning, RefusesPusThatAreMissingOrNotAllowed) {
  const Topology topology = Topology::this_system();
  EXPECT_THROW(ThreadPin(topology, 99999), TopologyError);
  const CpuList& allowed = topology.allowed_pus();
  if (allowed.size() < 2) GTEST_SKIP() << "needs two allowed PUs";
  const Topology narrow = topology.restrict_to(CpuList{allowed.pus().front()});
  try {
    ThreadPin pin(narrow, allowed.pus().back());
    FAIL() << "pinned to a PU outside the allowed set";
  } catch (const TopologyError& error) {
    EXPECT_NE(std::string(error.what()).find("not allowed"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace rcbench::topo
