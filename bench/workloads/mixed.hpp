// mixed:<percent>: each thread runs ops on its own object, except <percent> of every
// 100 ops, spread evenly, which go to one object all threads share (made by
// thread 0). A block is one fifth of the pattern's period (20 ops, expanded at
// compile time like every block); successive blocks walk the period.
#pragma once

#include "catalog_entry.hpp"
#include "workload.hpp"

#include "harness/timed_block.hpp"

#include <array>
#include <vector>

namespace rcbench::workloads {

// Spreads `percent` of every 100 ops evenly (Bresenham), so shared ops are not
// batched: a run of consecutive shared ops would keep the line in one core.
inline std::array<bool, 100> mixed_pattern(unsigned percent) {
  std::array<bool, 100> use_shared{};
  unsigned acc = 0;
  for (auto& b : use_shared) {
    acc += percent;
    b = acc >= 100;
    if (b) acc -= 100;
  }
  return use_shared;
}

template <class S>
class Mixed {
 public:
  static constexpr WorkloadEntry catalog{"mixed", 50, Contention::partly_shared,
      "objects of their own, `percent` of every 100 ops on one object all threads share"};
  using Object = typename S::Object;
  static constexpr unsigned kPeriod = 100;  // the pattern's: 1% granularity
  static constexpr unsigned kOpsPerBlock = 20;
  static_assert(kPeriod % kOpsPerBlock == 0, "blocks must tile the period");
  static constexpr bool kCoupled = false;
  static constexpr bool kSharesObjects = true;

  explicit Mixed(const WorkloadEnv<S>& env)
      : domain_(env.domain), mine_(env.threads), sequences_(env.threads), pattern_(mixed_pattern(env.spec.param)) {}

  void prepare(std::size_t me, typename S::Thread& h) {
    mine_[me].make(domain_, h);
    if (me == 0) shared_.make(domain_, h);
  }

  struct Lane : SafePoint<S> {
    const std::array<Object*, kPeriod>& objs;
    unsigned at = 0;  // where in the period the next block starts
    void block() noexcept {
      harness::run_block<S, kOpsPerBlock>(objs.data() + at, this->handle);
      at = at + kOpsPerBlock == kPeriod ? 0 : at + kOpsPerBlock;
    }
  };
  // Called after every thread prepared, so the shared object exists: the pattern
  // becomes one object pointer per op, resolved once, outside the window.
  Lane lane(std::size_t me, typename S::Thread& h) {
    auto& seq = sequences_[me];
    for (std::size_t i = 0; i < kPeriod; ++i) seq[i] = pattern_[i] ? shared_.get() : mine_[me].get();
    return Lane{{domain_, h}, seq, 0};
  }

  void verify(CountCheck& c) const {
    for (const auto& slot : mine_) c.held(*slot.get());
    c.held(*shared_.get());
  }

 private:
  typename S::Domain& domain_;
  std::vector<OwnedSlot<S>> mine_;
  OwnedSlot<S> shared_;
  std::vector<std::array<Object*, kPeriod>> sequences_;
  std::array<bool, 100> pattern_;
};

}  // namespace rcbench::workloads
