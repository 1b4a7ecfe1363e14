// shared: every thread runs ops on one object, made (and, where the strategy has
// owners, owned) by thread 0: the cache line moves between the cores for every op
// that finds it elsewhere. With two threads on different NUMA nodes the object's page
// is a condition of the row (spec.memory: mem:local on thread 0's node, mem:remote on
// thread 1's): it gets a page of its own, placed before the object is made in it.
#pragma once

#include "catalog_entry.hpp"
#include "workload.hpp"

#include "harness/object_memory.hpp"

#include <optional>

namespace rcbench::workloads {

template <class S>
class SharedObject {
 public:
  static constexpr WorkloadEntry catalog{"one shared object", 20, Contention::one_object,
      "every thread on one object: its line moves between the cores"};
  static constexpr unsigned kOpsPerBlock = kOpsPerTimedBlock;
  static constexpr bool kCoupled = false;
  static constexpr bool kSharesObjects = true;

  explicit SharedObject(const WorkloadEnv<S>& env) : domain_(env.domain), spec_(env.spec), topology_(env.topology) {}

  void prepare(std::size_t me, typename S::Thread& h) {
    if (me != 0) return;
    if (spec_.memory == harness::ObjectMemory::unplaced) {
      slot_.make(domain_, h);
      return;
    }
    // The page first, then the object in it: binding a page of its own moves nothing else.
    AlignedBuffer page = AlignedBuffer::whole_pages(sizeof(typename S::Object));
    harness::place_object_page(spec_, topology_, page);
    slot_.make_in(std::move(page), domain_, h);
  }

  using Lane = OneObjectLane<S, kOpsPerBlock>;
  Lane lane(std::size_t, typename S::Thread& h) { return Lane{{domain_, h}, *slot_.get()}; }

  void verify(CountCheck& c) const { c.held(*slot_.get()); }

  // After the window: where the object's page is, for a row that placed it.
  std::optional<harness::MemoryCheck> memory_check() const {
    if (spec_.memory == harness::ObjectMemory::unplaced) return std::nullopt;
    return harness::locate_object_page(spec_, topology_, slot_.get());
  }

 private:
  typename S::Domain& domain_;
  const BenchSpec& spec_;
  const topo::Topology* topology_;
  OwnedSlot<S> slot_;
};

}  // namespace rcbench::workloads
