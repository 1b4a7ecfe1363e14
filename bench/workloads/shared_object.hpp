// shared: every thread runs ops on one object, made (and, where the strategy has
// owners, owned) by thread 0: the cache line moves between the cores for every op
// that finds it elsewhere.
#pragma once

#include "workload.hpp"

namespace rcbench::workloads {

template <class S>
class SharedObject {
 public:
  static constexpr unsigned kOpsPerBlock = kOpsPerTimedBlock;
  static constexpr bool kCoupled = false;
  static constexpr bool kSharesObjects = true;

  explicit SharedObject(const WorkloadEnv<S>& env) : domain_(env.domain) {}

  void prepare(std::size_t me, typename S::Thread& h) {
    if (me == 0) slot_.make(domain_, h);
  }

  using Lane = OneObjectLane<S, kOpsPerBlock>;
  Lane lane(std::size_t, typename S::Thread& h) { return Lane{{domain_, h}, *slot_.get()}; }

  void verify(CountCheck& c) const { c.held(*slot_.get()); }

 private:
  typename S::Domain& domain_;
  OwnedSlot<S> slot_;
};

}  // namespace rcbench::workloads
