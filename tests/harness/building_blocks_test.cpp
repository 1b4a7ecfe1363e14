// The harness's own parts: the handoff ring, the mixed pattern (the probes: probe_test.cpp).
#include "refcount_team.hpp"
#include "workloads/mixed.hpp"
#include "spsc_ring.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace rcbench::harness {
namespace {

TEST(MixedPattern, SharesExactlyThePercentSpreadOut) {
  for (unsigned pct : {0u, 1u, 10u, 33u, 50u, 100u}) {
    const auto p = workloads::mixed_pattern(pct);
    unsigned shared = 0, longest_run = 0, run = 0;
    for (bool b : p) {
      shared += b;
      run = b ? run + 1 : 0;
      longest_run = std::max(longest_run, run);
    }
    EXPECT_EQ(shared, pct);
    // Spread evenly: no run of shared ops longer than needed.
    if (pct > 0 && pct <= 50) {
      EXPECT_EQ(longest_run, 1u) << pct;
    }
  }
}

TEST(SpscRing, DeliversEveryItemInOrderAcrossThreads) {
  SpscRing<int> ring(64);
  std::vector<int> items(200000);
  for (std::size_t i = 0; i < items.size(); ++i) items[i] = static_cast<int>(i);
  std::thread producer([&] {
    for (auto& item : items)
      while (!ring.try_push(&item)) std::this_thread::yield();
  });
  std::size_t received = 0;
  bool in_order = true;
  while (received < items.size()) {
    if (int* p = ring.try_pop()) {
      in_order = in_order && *p == static_cast<int>(received);
      ++received;
    }
  }
  producer.join();
  EXPECT_TRUE(in_order);
  EXPECT_EQ(ring.try_pop(), nullptr);
}

TEST(SpscRing, RefusesWhenFull) {
  SpscRing<int> ring(4);
  int x = 0;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(ring.try_push(&x));
  EXPECT_FALSE(ring.try_push(&x));
  EXPECT_EQ(ring.try_pop(), &x);
  EXPECT_TRUE(ring.try_push(&x));
}

}  // namespace
}  // namespace rcbench::harness
