// What a workload is: how objects are laid out and which object each op of a block
// touches. One type per workload, all behind one small interface, so the time
// window (harness/time_window.hpp) and the checks after it are written once:
//
//   W(WorkloadEnv<S>)                    made by Google Benchmark's thread 0
//   w.prepare(me, handle)                thread `me`, pinned, before the window:
//                                        objects it owns are created (first-touched) here
//   auto lane = w.lane(me, handle)       after every thread prepared: thread me's view
//   lane.poll()                          the safe point, once per block, before it
//   lane.block()                         the timed block: W::kOpsPerBlock ops, nothing else
//   lane.finish()                        the thread's last act in the window (detach)
//   lane.errors                          protocol errors seen at safe points
//   w.verify(check)                      after the window, quiescent: every object's count
//
// Traits: kOpsPerBlock; kCoupled (threads wait for each other inside a block, so they
// must all run the same number of blocks: see time_window.hpp); kSharesObjects (two
// threads touch one object, so a strategy that is not race-free may lose updates).
#pragma once

#include "harness/aligned_buffer.hpp"
#include "harness/spec.hpp"
#include "harness/timed_block.hpp"

#include "counters/refcounter.hpp"

#include <cstdint>
#include <new>
#include <utility>

namespace rcbench::topo { class Topology; }

namespace rcbench::workloads {

using harness::AlignedBuffer;
using harness::BenchSpec;

// Ops per timed block. Small enough that a block of the largest strategy's ops stays
// in the CPU's decoded-op cache: at 64 fully expanded ops, plain ran 3.8x and immortal
// 2.6x slower than the same ops in a loop of 16 (measured with bench/fidelity on this
// VM's Zen cores: the front end, not the op, became the bottleneck); 16 and 32 read
// the same. Large enough that the block's own cost (the stop flag and the safe point)
// is about 0.02 ns per op, which the null row measures and the report subtracts.
inline constexpr unsigned kOpsPerTimedBlock = 16;

template <class S>
struct WorkloadEnv {
  const BenchSpec& spec;
  typename S::Domain& domain;
  std::size_t threads;
  const topo::Topology* topology;  // for helper threads a workload pins (foreign's owner)
};

// After the window: how far each object's count is from what the workload's
// references say it must be. Sum of |actual - expected| over every object.
class CountCheck {
 public:
  // `held`/`released`: the count of an object someone holds one reference to, and of
  // one nobody holds. 1 and 0, except for immortal objects, whose count never moves.
  CountCheck(std::int64_t held, std::int64_t released) : held_(held), released_(released) {}
  template <class Object>
  void held(const Object& o) { add(o.read_exact_quiescent(), held_); }
  template <class Object>
  void released(const Object& o) { add(o.read_exact_quiescent(), released_); }
  std::uint64_t drift() const { return drift_; }

 private:
  void add(std::int64_t actual, std::int64_t expected) {
    drift_ += static_cast<std::uint64_t>(actual > expected ? actual - expected : expected - actual);
  }
  std::int64_t held_, released_;
  std::uint64_t drift_ = 0;
};

// One object on its own 128-byte-aligned storage, made by the thread that calls
// make() (its first touch and, where the strategy has owners, its owner); or, with
// make_in(), in storage the caller placed (a page on a chosen NUMA node).
template <class S>
class OwnedSlot {
 public:
  using Object = typename S::Object;
  OwnedSlot() = default;
  OwnedSlot(const OwnedSlot&) = delete;
  OwnedSlot& operator=(const OwnedSlot&) = delete;
  OwnedSlot(OwnedSlot&& o) noexcept : storage_(std::move(o.storage_)), obj_(o.obj_) { o.obj_ = nullptr; }
  ~OwnedSlot() {
    if (obj_ != nullptr) obj_->~Object();
  }
  Object& make(typename S::Domain& d, typename S::Thread& creator) {
    return make_in(AlignedBuffer(sizeof(Object)), d, creator);
  }
  Object& make_in(AlignedBuffer storage, typename S::Domain& d, typename S::Thread& creator) {
    storage_ = std::move(storage);
    obj_ = new (storage_.data()) Object(d, creator);
    return *obj_;
  }
  Object* get() const { return obj_; }

 private:
  AlignedBuffer storage_;
  Object* obj_ = nullptr;
};

// The lane of a workload whose safe point only reports unexpected drops: in these
// workloads every object is still held when the window ends, so a drop is an error.
template <class S>
struct SafePoint {
  typename S::Domain& domain;
  typename S::Thread& handle;
  std::uint64_t errors = 0;
  void poll() {
    domain.poll(handle, [this](typename S::Object&) { ++errors; });
  }
  void finish() { domain.detach(handle); }
};

// The lane of a workload in which each thread runs all its ops on one object (which
// object, and who made it, is the workload's business).
template <class S, unsigned N>
struct OneObjectLane : SafePoint<S> {
  typename S::Object& obj;
  void block() noexcept { harness::run_block<S, N>(obj, this->handle); }
};

}  // namespace rcbench::workloads
