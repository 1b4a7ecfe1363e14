// The real interpreter as a strategy: Py_INCREF/Py_DECREF on real PyObjects, by
// threads that hold CPython's own GIL (libpython's take_gil/drop_gil, the 5 ms switch
// interval, drop requests, forced switching), beside the model of it (gil_cpython).
//
// Two ways a thread lets the others have the GIL, every kBlocksPerSafePoint blocks
// (with 16-op blocks: every 64 ops):
//   cpython3XX_eval     it calls a trivial Python function: the call's RESUME checks
//                       the eval breaker and drops the GIL if another thread asked
//                       (after it waited a switch interval). What a thread running
//                       Python code does.
//   cpython3XX_release  Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS: the GIL is
//                       dropped and re-taken, as around a short C call that releases it.
// The rest of the protocol is the model's (ceval_gil.hpp), done by libpython:
//   attach        a thread state for this OS thread (PyThreadState_New; no GIL)
//   poll          the first one takes the GIL (PyEval_RestoreThread); then every
//                 kBlocksPerSafePoint-th is the safe point above; the others do nothing
//   before/after_blocking   PyEval_SaveThread / PyEval_RestoreThread
//   detach        the thread state is cleared and deleted, which drops the GIL
// Objects are PyObject headers of a static type (rcbench.Object) placed in the
// workload's storage, so they sit where every other strategy's objects sit; a count
// reaching zero runs the type's tp_dealloc through _Py_Dealloc, as Py_DECREF does.
// The type's dealloc frees nothing: the workload owns the memory.
#pragma once

#include "embedded_interpreter.hpp"  // Python.h first

#include "counters/catalog_entry.hpp"
#include "counters/config_checks.hpp"
#include "counters/refcounter.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define RCBENCH_CPYTHON_STR2(x) #x
#define RCBENCH_CPYTHON_STR(x) RCBENCH_CPYTHON_STR2(x)
#define RCBENCH_CPYTHON_PREFIX "cpython" RCBENCH_CPYTHON_STR(PY_MAJOR_VERSION) RCBENCH_CPYTHON_STR(PY_MINOR_VERSION)

namespace rcbench::cpython {

// Safe points every this many blocks (poll() calls). Recorded in the run JSON.
inline constexpr unsigned kBlocksPerSafePoint = 4;

enum class LetOthersRun : std::uint8_t { eval_breaker, release };

template <LetOthersRun How>
class RealInterpreterT {
 public:
  static constexpr std::string_view name =
      How == LetOthersRun::eval_breaker ? RCBENCH_CPYTHON_PREFIX "_eval" : RCBENCH_CPYTHON_PREFIX "_release";
  // The eval row is the baseline the GIL model is read against; the release row lets
  // other threads run by releasing the GIL (Py_BEGIN/END_ALLOW_THREADS) instead.
  static constexpr counters::StrategyEntry catalog{
      .display = How == LetOthersRun::eval_breaker ? "CPython itself, GIL handed over by the eval loop"
                                                   : "CPython itself, GIL released and re-taken",
      .order = How == LetOthersRun::eval_breaker ? 1000 : 1010,
      .summary = How == LetOthersRun::eval_breaker
                     ? "the embedded interpreter's own Py_INCREF/Py_DECREF and GIL; a Python call every few "
                       "blocks lets its eval breaker hand the GIL over"
                     : "the embedded interpreter's own Py_INCREF/Py_DECREF and GIL; every few blocks "
                       "Py_BEGIN/END_ALLOW_THREADS releases it",
      .baseline = How == LetOthersRun::eval_breaker ? counters::BaselineRole::real : counters::BaselineRole::none,
      .real_interpreter = true};
  // Every op runs with the GIL held (a GIL build), or on a count that is itself
  // thread-safe (a free-threaded build's biased count).
  static constexpr bool race_free = true;
  static constexpr counters::LastReference last_reference = counters::LastReference::reported;
  // libpython's GIL: held across blocks, handed over after a switch interval (a
  // free-threaded build has none).
#ifdef Py_GIL_DISABLED
  static constexpr bool holds_gil_across_blocks = false;
#else
  static constexpr bool holds_gil_across_blocks = true;
#endif

  class Domain;

  struct Thread {
    PyThreadState* state = nullptr;
    bool holds_gil = false;  // only this thread reads or writes it
    unsigned polls_to_safe_point = kBlocksPerSafePoint;
  };

  class Object {
   public:
    // Made with the GIL held, as CPython requires; a thread that does not hold it
    // (preparing, outside the window) takes it for the creation.
    Object(Domain& domain, Thread& creator) {
      const bool had_gil = creator.holds_gil;
      if (!had_gil) PyEval_RestoreThread(creator.state);
      PyObject_Init(&head_, domain.interpreter().object_type());
      if (!had_gil) PyEval_SaveThread();
    }
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    // In the interpreter, other code runs between a Py_INCREF and the Py_DECREF of
    // the same object, so each is a read-modify-write of memory. Here nothing does,
    // and the compiler would fold a pair into nothing; an empty asm that may read and
    // write the count (and nothing else) after each op keeps every op's own
    // instructions, and adds none (tests/counters/machine_code_test checks both).
    void incref(Thread&) noexcept {
      Py_INCREF(&head_);
      opaque_count();
    }
    counters::Drop decref(Thread&) noexcept {
#if PY_VERSION_HEX < 0x030C0000 && !defined(Py_GIL_DISABLED)
      // Py_DECREF of 3.11, written out so that it can say whether this was the last
      // reference: the same decrement and branch, and _Py_Dealloc at zero.
      if (--head_.ob_refcnt != 0) [[likely]] {
        opaque_count();
        return counters::Drop::kept;
      }
      _Py_Dealloc(&head_);
      return counters::Drop::last;
#else
      // Later layouts (immortal objects, biased counts): Py_DECREF itself, told by a
      // read beforehand whether it will drop the last reference. Not measured here.
      const bool last = Py_REFCNT(&head_) == 1;
      Py_DECREF(&head_);
      opaque_count();
      return last ? counters::Drop::last : counters::Drop::kept;
#endif
    }
    std::int64_t read_exact_quiescent() const noexcept {
      return Py_REFCNT(const_cast<PyObject*>(&head_));
    }

   private:
    void opaque_count() noexcept { asm volatile("" : "+m"(head_)); }
    PyObject head_;
  };

  class Domain {
   public:
    explicit Domain(counters::DomainConfig config)
        : config_(counters::validated(config)), interpreter_(EmbeddedInterpreter::get()) {
      interpreter_.set_switch_interval(std::chrono::microseconds{config.switch_interval_us});
    }
    Domain(const Domain&) = delete;
    Domain& operator=(const Domain&) = delete;

    // On the thread that will use the handle: a thread state is tied to its OS thread.
    Thread attach(std::size_t index) {
      counters::check_attach_index(index, config_);
      return Thread{PyThreadState_New(interpreter_.state())};
    }

    template <class F>
    void poll(Thread& t, F&&) {
      if (!t.holds_gil) [[unlikely]] {
        take(t);
        return;
      }
      if (--t.polls_to_safe_point != 0) [[likely]] return;
      t.polls_to_safe_point = kBlocksPerSafePoint;
      if constexpr (How == LetOthersRun::eval_breaker) {
        PyObject* none = PyObject_CallNoArgs(interpreter_.trivial_function());
        if (none == nullptr) [[unlikely]] die("calling trivial() failed");
        Py_DECREF(none);
      } else {
        PyEval_RestoreThread(PyEval_SaveThread());
      }
    }

    void before_blocking(Thread& t) {
      if (!t.holds_gil) return;
      PyEval_SaveThread();
      t.holds_gil = false;
    }
    void after_blocking(Thread& t) {
      if (!t.holds_gil) take(t);
    }

    // Deleting the current thread state releases the GIL. PyGILState_Check then says
    // whether this thread still holds it: counted, so tests can see that none does.
    void detach(Thread& t) {
      if (!t.holds_gil) take(t);
      PyThreadState_Clear(t.state);
      PyThreadState_DeleteCurrent();
      t.state = nullptr;
      t.holds_gil = false;
      (PyGILState_Check() ? held_after_detach_ : released_at_detach_).fetch_add(1, std::memory_order_relaxed);
    }

    EmbeddedInterpreter& interpreter() noexcept { return interpreter_; }
    std::uint64_t released_at_detach() const noexcept { return released_at_detach_.load(); }
    std::uint64_t held_after_detach() const noexcept { return held_after_detach_.load(); }

   private:
    void take(Thread& t) {
      PyEval_RestoreThread(t.state);
      t.holds_gil = true;
      t.polls_to_safe_point = kBlocksPerSafePoint;
    }
    [[noreturn]] static void die(const char* what) {
      PyErr_Print();
      std::fprintf(stderr, "rcbench: embedded CPython: %s\n", what);
      std::abort();
    }

    const counters::DomainConfig config_;
    EmbeddedInterpreter& interpreter_;
    std::atomic<std::uint64_t> released_at_detach_{0}, held_after_detach_{0};
  };
};

using CpythonEval = RealInterpreterT<LetOthersRun::eval_breaker>;
using CpythonRelease = RealInterpreterT<LetOthersRun::release>;

}  // namespace rcbench::cpython
