// The one CPython interpreter of the process, started on first use and never
// finalised (its threads' states are created and deleted by the strategies). Started
// outside any timed region: a benchmark's domain asks for it in its constructor.
// After start-up the starting thread has released the GIL, so the benchmark
// threads can take it.
#pragma once

#include "python_api.hpp"

#include <chrono>

namespace rcbench::cpython {

class EmbeddedInterpreter {
 public:
  // Starts the interpreter on the first call (thread-safe: a function-local static).
  static EmbeddedInterpreter& get();

  EmbeddedInterpreter(const EmbeddedInterpreter&) = delete;
  EmbeddedInterpreter& operator=(const EmbeddedInterpreter&) = delete;

  PyInterpreterState* state() const noexcept { return interp_; }
  // `def trivial(): pass`: a call runs the eval loop's RESUME, which checks the eval
  // breaker, i.e. gives the GIL up when another thread has asked for it.
  PyObject* trivial_function() const noexcept { return trivial_; }
  // A static type whose instances live in memory the workload owns (placed like every
  // other strategy's objects); its tp_dealloc frees nothing.
  PyTypeObject* object_type() const noexcept { return object_type_; }

  // sys.setswitchinterval; takes the GIL for the call.
  void set_switch_interval(std::chrono::microseconds interval);

 private:
  EmbeddedInterpreter();
  PyInterpreterState* interp_ = nullptr;
  PyObject* trivial_ = nullptr;
  PyTypeObject* object_type_ = nullptr;
};

}  // namespace rcbench::cpython
