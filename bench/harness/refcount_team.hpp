// One run of a refcount benchmark for strategy S: set-up, the timed loop of each
// workload, verification of the counts afterwards. Every workload is written once,
// generically over the RefCountStrategy concept.
#pragma once

#include "team.hpp"

#include <array>
#include <cstdlib>
#include <memory>
#include <new>

namespace rcbench::harness {

// The op: one incref followed by one decref of the same object. A decrement that
// reports "last" while the workload still holds a reference is a protocol error.
template <counters::RefCountStrategy S>
inline std::uint64_t run_ops(typename S::Object& obj, typename S::Thread& t, unsigned n) noexcept {
  std::uint64_t errors = 0;
  for (unsigned k = 0; k < n; ++k) {
    obj.incref(t);
    if (obj.decref(t) == counters::Drop::last) [[unlikely]] ++errors;
  }
  return errors;
}

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

template <counters::RefCountStrategy S>
class RefcountTeam {
 public:
  using Object = typename S::Object;
  using Handle = typename S::Thread;

  RefcountTeam(const BenchSpec& spec, unsigned extra_percent)
      : spec_(spec),
        n_(spec.pus.size()),
        domain_(spec.domain),
        extra_ops_(spec.ops_per_iteration * extra_percent / 100),
        outcomes_(n_),
        handles_(n_),
        mine_(n_, nullptr),
        mine_storage_(n_),
        pools_(n_),
        pattern_(mixed_pattern(spec.workload == Workload::mixed ? spec.param : 0)) {
    if (spec.workload == Workload::mixed && spec.ops_per_iteration != pattern_.size())
      status.fail("mixed needs ops_per_iteration == " + std::to_string(pattern_.size()));
    if (spec.workload == Workload::handoff) {
      for (std::size_t i = 0; i < n_; ++i) {
        forward_.push_back(std::make_unique<SpscRing<Object>>(kHandoffRing));
        back_.push_back(std::make_unique<SpscRing<Object>>(kHandoffPool));
      }
    }
  }

  RefcountTeam(const RefcountTeam&) = delete;
  RefcountTeam& operator=(const RefcountTeam&) = delete;

  ~RefcountTeam() {
    for (Object* o : mine_)
      if (o != nullptr) o->~Object();
    if (shared_ != nullptr) shared_->~Object();
    for (Object* o : packed_) o->~Object();
    for (auto& pool : pools_)
      for (std::size_t s = 0; s < pool.state.size(); ++s)
        if (pool.state[s] != SlotState::free) slot(pool, s)->~Object();
  }

  TeamStatus status;
  PingPong probe_before, probe_after;
  ThreadOutcome& outcome(std::size_t i) { return outcomes_[i]; }
  const std::vector<ThreadOutcome>& outcomes() const { return outcomes_; }

  // Thread `me`, pinned, before the first barrier of the run: its handle and the
  // objects it owns. Objects a thread owns are created (first-touched) by it.
  void prepare(std::size_t me) {
    handles_[me].emplace(domain_.attach(me));
    Handle& h = *handles_[me];
    if constexpr (counters::last_reference_of<S> == counters::LastReference::never) {
      if (me == 0) {
        AlignedBuffer probe(sizeof(Object));
        Object* o = new (probe.data()) Object(domain_, h);
        immortal_count_ = o->read_exact_quiescent();
        o->~Object();
      }
    }
    switch (spec_.workload) {
      case Workload::private_objects:
      case Workload::mixed:
        mine_storage_[me] = AlignedBuffer(sizeof(Object));
        mine_[me] = new (mine_storage_[me].data()) Object(domain_, h);
        if (spec_.workload == Workload::private_objects) break;
        [[fallthrough]];
      case Workload::shared:
        if (me == 0) {
          shared_storage_ = AlignedBuffer(sizeof(Object));
          shared_ = new (shared_storage_.data()) Object(domain_, h);
        }
        break;
      case Workload::false_sharing:
        if (me == 0) make_packed(h);
        break;
      case Workload::handoff: {
        HandoffPool& pool = pools_[me];
        pool.stride = round_up(sizeof(Object), kCacheLine);
        pool.storage = AlignedBuffer(pool.stride * kHandoffPool);
        pool.state.assign(kHandoffPool, SlotState::free);
        break;
      }
    }
  }

  // The timed region of thread `me`. `Loop` is the Google Benchmark loop wrapper
  // (timed_loop in refcount_body.hpp); `body` runs once per iteration.
  template <class Loop>
  void run(std::size_t me, Loop&& loop) {
    Handle& h = *handles_[me];
    ThreadOutcome& out = outcomes_[me];
    const unsigned k = spec_.ops_per_iteration;
    auto drop_unexpected = [&out](Object&) { ++out.protocol_errors; };
    auto finish = [&] { domain_.detach(h); };
    switch (spec_.workload) {
      case Workload::private_objects:
      case Workload::shared:
      case Workload::false_sharing: {
        Object& obj = spec_.workload == Workload::shared          ? *shared_
                      : spec_.workload == Workload::false_sharing ? *packed_[me]
                                                                  : *mine_[me];
        loop([&] {
          out.protocol_errors += run_ops<S>(obj, h, k);
          if (extra_ops_ != 0) run_ops<S>(obj, h, extra_ops_);
          domain_.poll(h, drop_unexpected);
        }, finish);
        break;
      }
      case Workload::mixed: {
        // One iteration is exactly one period of the pattern (checked in the
        // constructor): no modulo per op.
        Object* objs[2] = {mine_[me], shared_};
        loop([&] {
          for (unsigned i = 0; i < k; ++i)
            out.protocol_errors += run_ops<S>(*objs[pattern_[i]], h, 1);
          if (extra_ops_ != 0) run_ops<S>(*objs[0], h, extra_ops_);
          domain_.poll(h, drop_unexpected);
        }, finish);
        break;
      }
      case Workload::handoff:
        run_handoff(me, h, out, loop);
        break;
    }
    out.ops = out.ops * k;  // the loop counted iterations
  }

  // After every thread left its timed region (quiescent): how far the counts are
  // from what the workload's references say they must be. Sum of |actual - expected|.
  std::uint64_t count_drift() {
    // Immortal objects keep one fixed count whatever is done to them (PEP 683).
    constexpr bool immortal = counters::last_reference_of<S> == counters::LastReference::never;
    const std::int64_t held = immortal ? immortal_count_ : 1;
    const std::int64_t released = immortal ? immortal_count_ : 0;
    std::uint64_t drift = 0;
    auto check = [&drift](Object& o, std::int64_t expected) {
      const std::int64_t actual = o.read_exact_quiescent();
      drift += static_cast<std::uint64_t>(actual > expected ? actual - expected : expected - actual);
    };
    for (Object* o : mine_)
      if (o != nullptr) check(*o, held);
    if (shared_ != nullptr) check(*shared_, held);
    for (Object* o : packed_) check(*o, held);
    for (std::size_t p = 0; p < pools_.size(); ++p) {
      HandoffPool& pool = pools_[p];
      for (std::size_t s = 0; s < pool.state.size(); ++s) {
        // live: the creator still holds its reference (the object may sit in a
        // return ring); awaiting_drop: every reference was dropped, a merge is pending.
        if (pool.state[s] == SlotState::live) check(*slot(pool, s), held);
        if (pool.state[s] == SlotState::awaiting_drop) check(*slot(pool, s), released);
      }
    }
    return drift;
  }

  std::size_t threads() const { return n_; }

 private:
  Object* slot(HandoffPool& pool, std::size_t s) {
    return std::launder(reinterpret_cast<Object*>(pool.storage.data() + s * pool.stride));
  }

  void make_packed(Handle& creator) {
    // The requested spacing, or the object's size if it is larger: a biased object
    // cannot be packed 8 bytes apart. The stride used is what the name's pad means.
    const std::size_t stride = std::max<std::size_t>(spec_.param, sizeof(Object));
    packed_storage_ = AlignedBuffer(stride * n_);
    for (std::size_t i = 0; i < n_; ++i)
      packed_.push_back(new (packed_storage_.data() + i * stride) Object(domain_, creator));
  }

  // Handoff: every thread is producer to the next and consumer of the previous one
  // (a ring of threads, so it works for any N >= 2). One op = the producer's incref
  // + the consumer's decref of a freshly created object; the producer also creates
  // the object and drops its own reference when the object comes back. For biased
  // counting the consumer's decrement is the slow path that queues the object to
  // its owner, and the owner's poll() merges it: the protocol's expensive half.
  template <class Loop>
  void run_handoff(std::size_t me, Handle& h, ThreadOutcome& out, Loop& loop) {
    HandoffPool& pool = pools_[me];
    SpscRing<Object>& to_next = *forward_[me];
    SpscRing<Object>& from_prev = *forward_[(me + n_ - 1) % n_];
    SpscRing<Object>& returns = *back_[me];                   // written by the next thread
    SpscRing<Object>& give_back = *back_[(me + n_ - 1) % n_];  // to the previous thread
    auto slot_of = [&pool](Object& o) {
      return static_cast<std::size_t>(reinterpret_cast<std::byte*>(&o) - pool.storage.data()) /
             pool.stride;
    };
    auto dropped = [&](Object& o) {  // the strategy found the last reference gone
      const std::size_t s = slot_of(o);
      if (pool.state[s] != SlotState::awaiting_drop) ++out.protocol_errors;
      o.~Object();
      pool.state[s] = SlotState::free;
    };
    auto finalize = [&](Object& o) {  // our object is back: drop the creator's reference
      const std::size_t s = slot_of(o);
      pool.state[s] = SlotState::awaiting_drop;
      switch (o.decref(h)) {
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
    };
    auto service = [&] {
      while (Object* o = returns.try_pop()) finalize(*o);
      domain_.poll(h, dropped);
      counters::before_blocking(domain_, h);  // a waiting thread lets others run (GIL)
    };
    const unsigned k = spec_.ops_per_iteration;
    const unsigned items = k + extra_ops_;
    // Each iteration hands over a batch and then takes one: the two threads meet once
    // per batch rather than once per object, so the figure is the protocol's cost and
    // not a round trip per op. The ring holds kHandoffRing, more than any batch.
    static_assert(kHandoffRing >= 2 * kMaxHandoffBatch, "a batch must fit in the ring");
    loop([&] {
      for (unsigned i = 0; i < items; ++i) {
        while (pool.state[pool.next] != SlotState::free) service();
        Object* obj = new (slot(pool, pool.next)) Object(domain_, h);
        pool.state[pool.next] = SlotState::live;
        pool.next = (pool.next + 1) % kHandoffPool;
        obj->incref(h);  // the reference we hand over
        while (!to_next.try_push(obj)) service();
      }
      for (unsigned i = 0; i < items; ++i) {
        Object* in = nullptr;
        while ((in = from_prev.try_pop()) == nullptr) service();
        if (in->decref(h) == counters::Drop::last) ++out.protocol_errors;  // its creator holds one
        while (!give_back.try_push(in)) service();
      }
      while (Object* o = returns.try_pop()) finalize(*o);
      domain_.poll(h, dropped);
    }, [&] {
      // Objects still queued to this thread may lose their last reference in the
      // final merge of a detaching (exiting) owner.
      counters::detach_reporting(domain_, h, dropped);
    });
  }

  const BenchSpec& spec_;
  const std::size_t n_;
  typename S::Domain domain_;
  const unsigned extra_ops_;
  std::vector<ThreadOutcome> outcomes_;
  std::vector<std::optional<Handle>> handles_;
  std::vector<Object*> mine_;
  std::vector<AlignedBuffer> mine_storage_;
  Object* shared_ = nullptr;
  AlignedBuffer shared_storage_;
  std::vector<Object*> packed_;
  AlignedBuffer packed_storage_;
  std::vector<HandoffPool> pools_;
  std::vector<std::unique_ptr<SpscRing<Object>>> forward_, back_;
  std::array<bool, 100> pattern_;
  std::int64_t immortal_count_ = 0;  // what read_exact_quiescent says of an immortal object
};

}  // namespace rcbench::harness
