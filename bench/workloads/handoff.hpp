// handoff: every thread is producer to the next and consumer of the previous one (a
// ring of threads, so it works for any N >= 2). One op = the producer's incref + the
// consumer's decref of a freshly made object; the producer also makes the object
// and drops its own reference when the object comes back. For biased counting the
// consumer's decrement is the slow path that queues the object to its owner, and
// the owner's poll() merges it: the protocol's expensive half.
//
// A block hands a batch over and then takes one: the threads meet once per batch
// rather than once per object, so the figure is the protocol's cost and not a
// round trip per op. Threads wait for each other inside a block (kCoupled), so the
// time window stops them all after the same number of blocks.
//
// Waiting: a thread that must wait for the other drops the GIL first (CPython's
// Py_BEGIN_ALLOW_THREADS around a blocking queue get), waits for the ring without it,
// and takes the GIL back before it touches an object again (Py_END_ALLOW_THREADS).
// Objects are only touched with the GIL held; the rings are not objects. Behind a GIL
// the waiter sleeps on its doorbell, rung by the thread that hands it something, as
// CPython's queue.get() sleeps on a lock: a waiter spinning without the GIL is not
// what CPython does, and when another process shares the CPUs a spinner burns the
// slice its partner needed (measured: p90/p10 of the row fell from 2 to 1.1). Without
// a GIL the waiter spins: that row measures the counting protocol, not wake-ups.
#pragma once

#include "catalog_entry.hpp"
#include "workload.hpp"

#include "doorbell.hpp"

#include "harness/cpu_relax.hpp"
#include "harness/spsc_ring.hpp"

#include <memory>
#include <vector>

namespace rcbench::workloads {

inline constexpr std::size_t kHandoffPool = 1024;  // objects per producer
inline constexpr std::size_t kHandoffRing = 256;   // in flight between two threads
// Returns to a producer: room for every object its pool holds, so giving one back never
// waits. It must not: a producer that has run its last block no longer takes returns,
// and its consumer, still finishing the batches it lags behind by, would wait for room
// for ever (seen with 32 threads in a ring, a GIL row and a lagging consumer: with a
// 256-slot return ring up to 256 + 16 objects can come back after the producer's last look).
inline constexpr std::size_t kHandoffReturnRing = kHandoffPool;

enum class SlotState : std::uint8_t { free, live, awaiting_drop };

template <class S>
class Handoff {
 public:
  static constexpr WorkloadEntry catalog{"handoff", 40, Contention::transfer,
      "objects made and increfed by one thread, decrefed by the next in a ring"};
  using Object = typename S::Object;
  using Handle = typename S::Thread;
  static constexpr unsigned kOpsPerBlock = 16;
  static constexpr bool kCoupled = true;
  static constexpr bool kSharesObjects = false;  // each object has one producer and one consumer, in turn
  static_assert(kHandoffRing >= 2 * kOpsPerBlock, "a batch must fit in the ring");
  // A strategy with a GIL to drop while waiting: its waiters sleep (see above).
  static constexpr bool kSleeps = requires(typename S::Domain& d, Handle& h) { d.before_blocking(h); };

 private:
  // Per producer: objects are made in place, handed on, come back, and are destroyed
  // when the strategy says the last reference went (or reconciliation finds zero);
  // only then is the slot reused.
  struct Pool {
    AlignedBuffer storage;
    std::size_t stride = 0;
    std::vector<SlotState> state;
    std::size_t next = 0;
    Object* slot(std::size_t s) {
      return std::launder(reinterpret_cast<Object*>(storage.data() + s * stride));
    }
  };

 public:
  explicit Handoff(const WorkloadEnv<S>& env)
      : domain_(env.domain), n_(env.threads), pools_(env.threads), bells_(env.threads) {
    for (std::size_t i = 0; i < n_; ++i) {
      forward_.push_back(std::make_unique<harness::SpscRing<Object>>(kHandoffRing));
      back_.push_back(std::make_unique<harness::SpscRing<Object>>(kHandoffReturnRing));
    }
  }
  Handoff(const Handoff&) = delete;
  Handoff& operator=(const Handoff&) = delete;
  ~Handoff() {
    for (Pool& pool : pools_)
      for (std::size_t s = 0; s < pool.state.size(); ++s)
        if (pool.state[s] != SlotState::free) pool.slot(s)->~Object();
  }

  void prepare(std::size_t me, Handle&) {
    Pool& pool = pools_[me];
    pool.stride = harness::round_up(sizeof(Object), harness::kCacheLine);
    pool.storage = AlignedBuffer(pool.stride * kHandoffPool);
    pool.state.assign(kHandoffPool, SlotState::free);
  }

  class Lane {
   public:
    Lane(Handoff& w, std::size_t me, Handle& h)
        : domain_(w.domain_), h_(h), pool_(w.pools_[me]),
          to_next_(*w.forward_[me]), from_prev_(*w.forward_[(me + w.n_ - 1) % w.n_]),
          returns_(*w.back_[me]), give_back_(*w.back_[(me + w.n_ - 1) % w.n_]),
          my_bell_(w.bells_[me]), next_bell_(w.bells_[(me + 1) % w.n_]),
          prev_bell_(w.bells_[(me + w.n_ - 1) % w.n_]) {}

    std::uint64_t errors = 0;

    void poll() {
      while (Object* o = returns_.try_pop()) {
        finalize(*o);
        // Every push and pop rings the thread on the ring's other side: whatever it
        // waits for (an item, a free slot), it is not left asleep.
        if constexpr (kSleeps) next_bell_.ring();
      }
      domain_.poll(h_, [this](Object& o) { dropped(o); });
    }

    void block() {
      for (unsigned i = 0; i < kOpsPerBlock; ++i) {
        while (pool_.state[pool_.next] != SlotState::free) wait_for_a_return();
        Object* obj = new (pool_.slot(pool_.next)) Object(domain_, h_);
        pool_.state[pool_.next] = SlotState::live;
        pool_.next = (pool_.next + 1) % kHandoffPool;
        obj->incref(h_);  // the reference we hand over
        if (!to_next_.try_push(obj)) wait_until([&] { return to_next_.try_push(obj); });
        // After every push, not once per batch: a producer that stops mid-batch to
        // wait for its own returns must not leave its consumer asleep.
        if constexpr (kSleeps) next_bell_.ring();
      }
      for (unsigned i = 0; i < kOpsPerBlock; ++i) {
        Object* in = from_prev_.try_pop();
        if (in == nullptr) wait_until([&] { return (in = from_prev_.try_pop()) != nullptr; });
        if (in->decref(h_) == counters::Drop::last) ++errors;  // its creator still holds one
        // Never full (kHandoffReturnRing holds the whole pool): no waiting on a
        // producer that may already have left its window.
        if (!give_back_.try_push(in)) {
          ++errors;
          continue;
        }
        if constexpr (kSleeps) prev_bell_.ring();
      }
    }

    // Objects still queued to this thread may lose their last reference in the
    // final merge of a detaching (exiting) owner.
    void finish() {
      counters::detach_reporting(domain_, h_, [this](Object& o) { dropped(o); });
    }

   private:
    std::size_t slot_of(Object& o) const {
      return static_cast<std::size_t>(reinterpret_cast<std::byte*>(&o) - pool_.storage.data()) / pool_.stride;
    }
    void dropped(Object& o) {  // the strategy found the last reference gone
      const std::size_t s = slot_of(o);
      if (pool_.state[s] != SlotState::awaiting_drop) ++errors;
      o.~Object();
      pool_.state[s] = SlotState::free;
    }
    void finalize(Object& o) {  // our object is back: drop the creator's reference
      const std::size_t s = slot_of(o);
      pool_.state[s] = SlotState::awaiting_drop;
      switch (o.decref(h_)) {
        case counters::Drop::last:
          dropped(o);
          break;
        case counters::Drop::unknown:
          // Deferred counting cannot tell; the consumer's writes happened-before
          // the ring handed the object back, so reconciliation here is exact.
          if (o.read_exact_quiescent() == 0) dropped(o);
          break;
        case counters::Drop::kept:
          // Immortal objects never die: once back, nobody else holds the slot.
          if constexpr (counters::last_reference_of<S> == counters::LastReference::never) dropped(o);
          break;  // otherwise a merge is pending: poll() will report the drop
      }
    }
    // Blocks (GIL dropped) until `ready()` holds; `ready` touches rings only.
    template <class Ready>
    void wait_until(Ready&& ready) {
      counters::before_blocking(domain_, h_);
      if constexpr (kSleeps) {
        my_bell_.sleep_until(ready);
      } else {
        while (!ready()) harness::cpu_relax();
      }
      resume();
    }
    // The pool is full of objects still out: take what came back (and let a merge
    // report drops) until this slot is free.
    void wait_for_a_return() {
      poll();
      if (pool_.state[pool_.next] == SlotState::free) return;
      Object* back = nullptr;
      wait_until([&] { return (back = returns_.try_pop()) != nullptr; });
      if constexpr (kSleeps) next_bell_.ring();
      finalize(*back);
      domain_.poll(h_, [this](Object& o) { dropped(o); });
    }
    void resume() { counters::after_blocking(domain_, h_); }

    typename S::Domain& domain_;
    Handle& h_;
    Pool& pool_;
    harness::SpscRing<Object>& to_next_;
    harness::SpscRing<Object>& from_prev_;
    harness::SpscRing<Object>& returns_;    // written by the next thread
    harness::SpscRing<Object>& give_back_;  // to the previous thread
    Doorbell& my_bell_;    // rung by the previous thread (a batch) and the next (returns)
    Doorbell& next_bell_;  // rung after handing the next thread a batch
    Doorbell& prev_bell_;  // rung after giving the previous thread its objects back
  };
  Lane lane(std::size_t me, Handle& h) { return Lane(*this, me, h); }

  void verify(CountCheck& c) {
    for (Pool& pool : pools_) {
      for (std::size_t s = 0; s < pool.state.size(); ++s) {
        // live: the creator still holds its reference (the object may sit in a
        // return ring); awaiting_drop: every reference was dropped, a merge is pending.
        if (pool.state[s] == SlotState::live) c.held(*pool.slot(s));
        if (pool.state[s] == SlotState::awaiting_drop) c.released(*pool.slot(s));
      }
    }
  }

 private:
  typename S::Domain& domain_;
  const std::size_t n_;
  std::vector<Pool> pools_;
  std::vector<std::unique_ptr<harness::SpscRing<Object>>> forward_, back_;
  std::vector<Doorbell> bells_;
};

}  // namespace rcbench::workloads
