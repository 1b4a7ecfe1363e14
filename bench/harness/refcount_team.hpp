// One run of a refcount benchmark for strategy S and workload W: the strategy's
// domain, the workload's objects, each thread's handle and outcome, and the checks
// after the window. The timed part is harness/time_window.hpp; what the block does
// is the workload's (bench/workloads/).
#pragma once

#include "object_memory.hpp"
#include "race_census.hpp"
#include "runtime.hpp"
#include "thread_outcome.hpp"
#include "time_window.hpp"

#include "counters/gil_cpython.hpp"
#include "workloads/workload.hpp"

#include <memory>
#include <new>
#include <optional>

namespace rcbench::harness {

template <counters::RefCountStrategy S, template <class> class W>
class RefcountTeam {
 public:
  using Object = typename S::Object;
  using Handle = typename S::Thread;
  using Workload = W<S>;
  using Lane = decltype(std::declval<Workload&>().lane(std::size_t{}, std::declval<Handle&>()));

  // A strategy that is not race-free may lose updates only where threads share an
  // object; there its counts are not checked but counted (RaceCensus).
  static constexpr bool kRacy = !S::race_free && Workload::kSharesObjects;
  static constexpr bool kPlacesMemory = requires(const Workload& w) { w.memory_check(); };
  static constexpr bool kGilAcrossBlocks = counters::holds_gil_across_blocks_v<S>;
  static constexpr bool kCountsGilEvents = requires(typename S::Domain& d) { d.gil().stats(); };

  RefcountTeam(const BenchSpec& spec, const Runtime& rt)
      : n_(spec.pus.size()),
        domain_(spec.domain),
        workload_(workloads::WorkloadEnv<S>{spec, domain_, n_, rt.topology}),
        outcomes_(n_),
        handles_(n_),
        lanes_(n_) {
    if constexpr (requires { domain_.set_extra_percent(0u); }) domain_.set_extra_percent(rt.slowdown.percent);
    if constexpr (kRacy) {
      if (n_ >= 2) census_.emplace(spec, n_);
    }
    // Only a workload with one object to place can honour a memory placement; the
    // planner asks it of `shared` alone, and a row must not claim what it did not do.
    if (spec.memory != ObjectMemory::unplaced && !kPlacesMemory)
      status.fail("mem:" + std::string(to_string(spec.memory)) + " asked of a workload that places no memory");
  }
  RefcountTeam(const RefcountTeam&) = delete;
  RefcountTeam& operator=(const RefcountTeam&) = delete;

  TeamStatus status;
  TwoLinePingPong probe_before, probe_after;  // c2clat's method, named in the run JSON
  WindowControl control;
  ThreadOutcome& outcome(std::size_t i) { return outcomes_[i]; }
  const std::vector<ThreadOutcome>& outcomes() const { return outcomes_; }

  // Thread `me`, pinned, before the first barrier of the run: its handle and the
  // objects it makes.
  void prepare(std::size_t me) {
    try {
      Handle& h = handles_[me].emplace(domain_.attach(me));
      if (me == 0) immortal_count_ = count_of_a_new_object(h);
      workload_.prepare(me, h);
    } catch (const std::exception& e) {
      status.fail(e.what());
    }
  }

  // After every thread prepared: thread me's view of the workload.
  Lane& lane(std::size_t me) { return lanes_[me].emplace(workload_.lane(me, *handles_[me])); }

  // Every thread waits here until all can leave for their windows together.
  void start_line() { start_.wait(1); }

  // The window of thread `me`: its ops. Thread 0 records when it stopped the window.
  std::uint64_t run_window(std::size_t me, Lane& lane) {
    std::optional<DeadlineWatch> watch;
    if (me == 0) watch.emplace(WindowClock::now(), window_);
    std::uint64_t blocks =
        harness::run_window(lane, control, watch ? &*watch : nullptr, Workload::kCoupled, n_);
    if (me == 0 && !Workload::kCoupled) outcomes_[0].stop = watch->stopped_at();
    // A GIL held across blocks, threads that do not wait for each other inside a block:
    // the last block of every thread but thread 0 ran after the stop, so it is not the
    // window's. Thread 0 stores the stop holding the GIL, after a block of its own, and
    // a thread lets the GIL go only in poll() (the model's yield, the real interpreter's
    // safe point), never in a block or between a block and the stop check after it. So
    // a thread that read "not stopped" after a block had held the GIL since before that
    // block began, while the stop was not yet stored: every block but the last ran
    // before the stop. The last did not: its poll got (or kept) the GIL from after the
    // stop, or the check after it would have read "not stopped" too. Counted, a thread
    // that waited for the GIL the whole window would show one block run after it: at
    // 384 threads and 10 ms, 383 threads that "worked".
    if constexpr (kGilAcrossBlocks && !Workload::kCoupled) {
      if (me != 0 && blocks != 0) --blocks;
    }
    if constexpr (kCountsGilEvents) {
      // Thread 0 left its loop holding the GIL: no other thread has taken it since the
      // stop. The domain, and so its GIL, is new for this run, and nothing takes the GIL
      // before the window (attach and object construction do not: gil_cpython.hpp), so
      // its counts are the window's.
      if (me == 0) {
        const auto st = domain_.gil().stats();
        gil_counts_ = GilWindowCounts{st.switches, st.drop_requests};
      }
    }
    return blocks * Workload::kOpsPerBlock;
  }

  // After every thread left its window: the GIL's protocol counts over the window, for
  // a strategy whose domain is the GIL model (gil_cpython); nullopt for every other row
  // (the real interpreter's GIL keeps its counts to itself).
  std::optional<GilWindowCounts> gil_counts() const { return gil_counts_; }

  // The strategy's domain, for checks that look at its state (tests: who holds a GIL).
  typename S::Domain& domain() { return domain_; }
  void set_window(WindowClock::duration w) { window_ = w; }

  std::optional<RaceFigures> race_census(std::size_t me, std::barrier<>& sync) {
    if (!census_) return std::nullopt;
    return census_->run(me, sync);
  }

  // After every thread left its window (quiescent): where the placed object's page
  // is, for a row with a memory placement; nullopt for every other row.
  std::optional<MemoryCheck> memory_check() const {
    if constexpr (kPlacesMemory) return workload_.memory_check();
    return std::nullopt;
  }

  // After every thread left its window (quiescent): how far the counts are from
  // what the workload's references say they must be. Must be 0 unless kRacy.
  std::uint64_t count_drift() {
    // Immortal objects keep one fixed count whatever is done to them (PEP 683).
    constexpr bool immortal = counters::last_reference_of<S> == counters::LastReference::never;
    workloads::CountCheck check(immortal ? immortal_count_ : 1, immortal ? immortal_count_ : 0);
    workload_.verify(check);
    return check.drift();
  }

 private:
  std::int64_t count_of_a_new_object(Handle& h) {
    if constexpr (counters::last_reference_of<S> != counters::LastReference::never) {
      return 1;
    } else {
      AlignedBuffer probe(sizeof(Object));
      Object* o = new (probe.data()) Object(domain_, h);
      const std::int64_t count = o->read_exact_quiescent();
      o->~Object();
      return count;
    }
  }

  const std::size_t n_;
  typename S::Domain domain_;
  Workload workload_;
  std::vector<ThreadOutcome> outcomes_;
  std::vector<std::optional<Handle>> handles_;
  std::vector<std::optional<Lane>> lanes_;
  std::optional<RaceCensus<S>> census_;
  StartLine start_{n_};
  WindowClock::duration window_{};
  std::int64_t immortal_count_ = 1;
  std::optional<GilWindowCounts> gil_counts_;
};

}  // namespace rcbench::harness
