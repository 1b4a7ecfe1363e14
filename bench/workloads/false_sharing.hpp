// false_sharing:<pad>: each thread runs ops on its own object, but the objects are
// packed <pad> bytes apart (all made by thread 0), so with a small pad several sit on
// one cache line and the line moves although no object is shared.
#pragma once

#include "catalog_entry.hpp"
#include "workload.hpp"

#include <algorithm>
#include <vector>

namespace rcbench::workloads {

template <class S>
class FalseSharing {
 public:
  static constexpr WorkloadEntry catalog{"false sharing", 30, Contention::one_line,
      "objects of their own packed `pad` bytes apart: lines move though no object is shared"};
  using Object = typename S::Object;
  static constexpr unsigned kOpsPerBlock = kOpsPerTimedBlock;
  static constexpr bool kCoupled = false;
  static constexpr bool kSharesObjects = false;

  explicit FalseSharing(const WorkloadEnv<S>& env)
      : domain_(env.domain),
        n_(env.threads),
        // The requested spacing, or the object's size if it is larger: a biased object
        // cannot be packed 8 bytes apart. The stride used is what the name's pad means.
        stride_(std::max<std::size_t>(env.spec.param, sizeof(Object))) {}
  FalseSharing(const FalseSharing&) = delete;
  FalseSharing& operator=(const FalseSharing&) = delete;
  ~FalseSharing() {
    for (Object* o : packed_) o->~Object();
  }

  void prepare(std::size_t me, typename S::Thread& h) {
    if (me != 0) return;
    storage_ = AlignedBuffer(stride_ * n_);
    for (std::size_t i = 0; i < n_; ++i)
      packed_.push_back(new (storage_.data() + i * stride_) Object(domain_, h));
  }

  using Lane = OneObjectLane<S, kOpsPerBlock>;
  Lane lane(std::size_t me, typename S::Thread& h) { return Lane{{domain_, h}, *packed_[me]}; }

  void verify(CountCheck& c) const {
    for (const Object* o : packed_) c.held(*o);
  }

 private:
  typename S::Domain& domain_;
  const std::size_t n_;
  const std::size_t stride_;
  AlignedBuffer storage_;
  std::vector<Object*> packed_;
};

}  // namespace rcbench::workloads
