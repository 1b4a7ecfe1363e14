// gil_cpython: any strategy serialized by CPython's GIL (ceval_gil.hpp), the
// way CPython runs it. Py_INCREF/Py_DECREF check nothing: a thread runs Python
// code only while it holds the GIL, which it takes when it enters the interpreter
// and re-takes after every blocking call, and gives up only at the eval breaker's
// safe points or around a blocking call. Here the same:
//   poll(thread)             the safe point, before every block of ops: takes the
//                            GIL if the thread does not hold it (it is entering),
//                            else the eval breaker check (one relaxed load) and,
//                            if a waiter asked, a yield (drop, forced handover,
//                            re-take).
//   before_blocking(thread)  Py_BEGIN_ALLOW_THREADS: drops the GIL.
//   after_blocking(thread)   Py_END_ALLOW_THREADS: re-takes it (blocks until free).
//   detach(thread)           the thread is done: drops it for good.
//   incref/decref            the inner op and nothing else. They require the GIL,
//                            i.e. a poll() or after_blocking() since the thread's
//                            last before_blocking() (or since attach); breaking
//                            that is a data race that nothing here detects, as in
//                            CPython.
// `GilCpython` = this around `plain`: the baseline row `gil_cpython`, what
// CPython's refcounting costs with the GIL in a multi-threaded program.
//
// A thread holding the GIL must reach poll() (or before_blocking(), or detach())
// regularly, and before it waits for another thread: otherwise the others wait
// for ever. Constructing objects and attach() do not take the GIL.
#pragma once

#include "config_checks.hpp"
#include "ceval_gil.hpp"
#include "decorated_name.hpp"
#include "layout.hpp"
#include "plain.hpp"
#include "catalog_entry.hpp"
#include "refcounter.hpp"
#include "stateless_domain.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace rcbench::counters {

inline constexpr std::string_view kGilCpythonName = "gil_cpython";

// A strategy whose threads hold a GIL across blocks and hand it over only when a
// waiter asks after a whole switch interval (the model here, the real interpreter in
// bench/cpython) says so with `static constexpr bool holds_gil_across_blocks = true`.
// Its rows need a window of several switch intervals per thread, or most threads may
// never get a turn (harness/plan.hpp, gil_window_s); a gil_lock thread waits one op.
template <class S>
inline constexpr bool holds_gil_across_blocks_v = requires { requires S::holds_gil_across_blocks; };

template <RefCountStrategy Inner>
class GilCpythonT {
 public:
  static constexpr std::string_view name = decorated_name<kGilCpythonName, Inner>;
  // Around plain, the baseline every row is judged against; around anything else a
  // row like the others.
  static constexpr StrategyEntry catalog{
      .display = "GIL model (CPython's GIL around the op)", .order = 900 + Inner::catalog.order,
      .summary = "the op serialized by a model of CPython's GIL (ceval_gil.c): held across blocks, "
                 "handed over at safe points on request",
      .baseline = std::is_same_v<Inner, Plain> ? BaselineRole::gil : BaselineRole::none};
  // Every inner op runs with the GIL held, given the contract above (ops only
  // after poll()/after_blocking()).
  static constexpr bool race_free = true;
  static constexpr LastReference last_reference = last_reference_of<Inner>;
  static constexpr bool holds_gil_across_blocks = true;
  using InnerStrategy = Inner;

  class Domain;
  class Object;

  struct Thread {
    typename Inner::Thread inner;
    Domain* domain = nullptr;
    CpythonGil::HolderId id = CpythonGil::kNobody;
    bool holds_gil = false;  // only this thread reads or writes it
  };

  class Object : private Inner::Object {
   public:
    Object(Domain& domain, Thread& creator) : Inner::Object(domain.inner_, creator.inner) {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    // No GIL check here (CPython has none): the caller passed poll() or
    // after_blocking() since it last blocked, so it holds the GIL.
    void incref(Thread& t) noexcept { Inner::Object::incref(t.inner); }
    Drop decref(Thread& t) noexcept { return Inner::Object::decref(t.inner); }
    std::int64_t read_exact_quiescent() const noexcept {
      return Inner::Object::read_exact_quiescent();
    }
    const typename Inner::Object& inner() const noexcept { return *this; }

   private:
    friend class Domain;
  };

  class Domain {
   public:
    explicit Domain(DomainConfig config)
        : gil_(std::chrono::microseconds{validated(config).switch_interval_us}), inner_(config) {}
    Domain(const Domain&) = delete;
    Domain& operator=(const Domain&) = delete;

    Thread attach(std::size_t index) {
      return Thread{inner_.attach(index), this, CpythonGil::HolderId{index} + 1, false};
    }

    // The safe point before a block of ops. A thread without the GIL is entering
    // the interpreter (its first block, or its first after a blocking wait whose
    // caller did not call after_blocking): it takes the GIL, blocking until it is
    // free. A holder does the eval breaker check: one relaxed load, and a yield
    // only when a waiter asked.
    template <class F>
    void poll(Thread& t, F&& dropped) {
      if (!t.holds_gil) [[unlikely]] {
        take(t);
      } else if (gil_.drop_requested()) [[unlikely]] {
        gil_.yield_on_request(t.id);
      }
      if constexpr (!kInnerIsStateless) {
        // With the GIL held, as CPython runs destructors.
        inner_.poll(t.inner, [&dropped](typename Inner::Object& o) {
          dropped(static_cast<Object&>(o));
        });
      }
    }

    // Py_BEGIN_ALLOW_THREADS: about to wait for another thread, so let it run.
    // With a drop request pending this returns only once another thread has the
    // GIL (forced switching), as CPython's drop_gil.
    void before_blocking(Thread& t) {
      if (!t.holds_gil) return;
      gil_.drop(t.id, /*final=*/false);
      t.holds_gil = false;
    }

    // Py_END_ALLOW_THREADS: the wait is over; take the GIL back before the next
    // op (blocks while another thread holds it). No eval breaker check: the
    // thread was not running, nobody can have asked it for the GIL.
    void after_blocking(Thread& t) {
      if (!t.holds_gil) take(t);
    }

    template <class F>
    void detach(Thread& t, F&& dropped) {
      if constexpr (!kInnerIsStateless) {
        if (!t.holds_gil) take(t);  // the final merge touches counts
        detach_reporting(inner_, t.inner, [&dropped](typename Inner::Object& o) {
          dropped(static_cast<Object&>(o));
        });
      }
      if (t.holds_gil) {
        gil_.drop(t.id, /*final=*/true);  // no handover wait: this thread is done
        t.holds_gil = false;
      }
    }
    void detach(Thread& t) {
      detach(t, [](Object&) {});
    }

    CpythonGil& gil() noexcept { return gil_; }
    typename Inner::Domain& inner() noexcept { return inner_; }

   private:
    friend class Object;
    // A stateless inner domain's poll and detach do nothing: no GIL needed for them.
    static constexpr bool kInnerIsStateless = std::is_same_v<typename Inner::Domain, StatelessDomain>;

    // Off the op path: only poll(), after_blocking() and detach() take the GIL.
    void take(Thread& t) {
      gil_.take(t.id);
      t.holds_gil = true;
    }

    alignas(kFalseSharingRange) CpythonGil gil_;
    alignas(kFalseSharingRange) typename Inner::Domain inner_;
  };
};

using GilCpython = GilCpythonT<Plain>;

static_assert(sizeof(GilCpython::Object) == sizeof(Plain::Object),
              "the GIL adds nothing to an object: it is one lock for all of them");

}  // namespace rcbench::counters
