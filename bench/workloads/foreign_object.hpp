// foreign: one thread runs ops on an object that another thread made and owns. The
// owner is pinned (to the row's probe partner PU), makes the object and then parks
// on a condition variable until the row is over, so the timed thread's every op
// takes the non-owner path alone: for biased counting, the shared count's atomic
// add and CAS (the BRC paper's "non-owner" cost), beside the `private` (owner) row.
// Only planned for strategies whose objects have owners.
#pragma once

#include "catalog_entry.hpp"
#include "workload.hpp"

#include "rcbench/topology/pinning.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace rcbench::workloads {

template <class S>
class ForeignObject {
 public:
  static constexpr WorkloadEntry catalog{"another thread's object", 15, Contention::owned_elsewhere,
      "one thread on an object another thread made and owns: the non-owner path alone"};
  static constexpr unsigned kOpsPerBlock = kOpsPerTimedBlock;
  static constexpr bool kCoupled = false;
  static constexpr bool kSharesObjects = false;  // the owner never touches it in the window
  static constexpr std::size_t kOwnerIndex = 1;  // the timed thread attaches as 0

  explicit ForeignObject(const WorkloadEnv<S>& env)
      : domain_(env.domain), topology_(env.topology), owner_pu_(env.spec.probe_partner_pu),
        pin_owner_(env.spec.has_probe_partner) {
    if (env.threads != 1) throw std::invalid_argument("foreign is a one-thread workload");
  }
  ForeignObject(const ForeignObject&) = delete;
  ForeignObject& operator=(const ForeignObject&) = delete;
  ~ForeignObject() {
    if (!owner_.joinable()) return;
    {
      const std::lock_guard lock(mu_);
      release_ = true;
    }
    cv_.notify_all();
    owner_.join();  // after the owner detached: nothing can be queued to it any more
  }

  // The timed thread (0) starts the owner and waits until the object exists.
  void prepare(std::size_t, typename S::Thread&) {
    owner_ = std::thread([this] { own(); });
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return made_ || !error_.empty(); });
    if (!error_.empty()) throw std::runtime_error(error_);
  }

  using Lane = OneObjectLane<S, kOpsPerBlock>;
  Lane lane(std::size_t, typename S::Thread& h) { return Lane{{domain_, h}, *slot_.get()}; }

  void verify(CountCheck& c) const { c.held(*slot_.get()); }

 private:
  void own() {
    std::optional<topo::ThreadPin> pin;
    try {
      if (pin_owner_ && topology_ != nullptr) pin.emplace(*topology_, owner_pu_);
      typename S::Thread h = domain_.attach(kOwnerIndex);
      slot_.make(domain_, h);
      std::unique_lock lock(mu_);
      made_ = true;
      cv_.notify_all();
      cv_.wait(lock, [this] { return release_; });  // parked: no op, no poll
      lock.unlock();
      domain_.detach(h);
    } catch (const std::exception& e) {
      const std::lock_guard lock(mu_);
      error_ = std::string("foreign object's owner: ") + e.what();
      cv_.notify_all();
    }
  }

  typename S::Domain& domain_;
  const topo::Topology* topology_;
  const unsigned owner_pu_;
  const bool pin_owner_;
  OwnedSlot<S> slot_;
  std::thread owner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool made_ = false, release_ = false;
  std::string error_;
};

}  // namespace rcbench::workloads
