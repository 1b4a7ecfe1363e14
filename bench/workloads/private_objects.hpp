// private: each thread runs ops on an object of its own, on its own line. No
// sharing at all: the strategy's uncontended cost (with one thread, its cost).
#pragma once

#include "catalog_entry.hpp"
#include "workload.hpp"

#include <vector>

namespace rcbench::workloads {

template <class S>
class PrivateObjects {
 public:
  static constexpr WorkloadEntry catalog{"private objects", 10, Contention::none,
      "each thread on an object of its own, on its own line: the uncontended cost"};
  static constexpr unsigned kOpsPerBlock = kOpsPerTimedBlock;
  static constexpr bool kCoupled = false;
  static constexpr bool kSharesObjects = false;

  explicit PrivateObjects(const WorkloadEnv<S>& env) : domain_(env.domain), mine_(env.threads) {}

  void prepare(std::size_t me, typename S::Thread& h) { mine_[me].make(domain_, h); }

  using Lane = OneObjectLane<S, kOpsPerBlock>;
  Lane lane(std::size_t me, typename S::Thread& h) { return Lane{{domain_, h}, *mine_[me].get()}; }

  void verify(CountCheck& c) const {
    for (const auto& slot : mine_) c.held(*slot.get());
  }

 private:
  typename S::Domain& domain_;
  std::vector<OwnedSlot<S>> mine_;
};

}  // namespace rcbench::workloads
