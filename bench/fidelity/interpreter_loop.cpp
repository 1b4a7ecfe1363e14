#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "interpreter_loop.hpp"

#include "os_thread.hpp"
#include "x86_blocks.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace rcbench::fidelity {

namespace {

std::runtime_error failed(const std::string& what) {
  PyErr_Print();
  return std::runtime_error("independent interpreter loop: " + what + " failed");
}

// With the GIL held: `def trivial(): pass` in a namespace of its own (a new reference).
PyObject* trivial_function(PyObject* globals) {
  if (PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) != 0) throw failed("globals");
  PyObject* result = PyRun_String("def trivial():\n    pass\n", Py_file_input, globals, globals);
  if (result == nullptr) throw failed("def trivial");
  Py_DECREF(result);
  PyObject* fn = PyDict_GetItemString(globals, "trivial");
  if (fn == nullptr) throw failed("looking up trivial");
  Py_INCREF(fn);
  return fn;
}

#if defined(__x86_64__) && PY_VERSION_HEX < 0x030C0000 && !defined(Py_GIL_DISABLED)
double timed_loop(PyObject* fn, PyObject* obj, double seconds) {
  static_assert(kOpsPerCall % x86::kOpsPerBlock == 0);
  constexpr unsigned kBlocksPerCall = kOpsPerCall / x86::kOpsPerBlock;
  constexpr std::uint64_t kCallsPerCheck = 128;
  const std::int64_t budget = static_cast<std::int64_t>(seconds * 1e9);
  std::uint64_t blocks = 0;
  const std::int64_t start = thread_cpu_ns();
  std::int64_t now = start;
  do {
    for (std::uint64_t c = 0; c < kCallsPerCheck; ++c) {
      PyObject* none = PyObject_CallNoArgs(fn);
      if (none == nullptr) throw failed("calling trivial");
      Py_DECREF(none);
      for (unsigned b = 0; b < kBlocksPerCall; ++b) x86::cpython311_block(&obj->ob_refcnt);
    }
    blocks += kCallsPerCheck * kBlocksPerCall;
    now = thread_cpu_ns();
  } while (now - start < budget);
  return static_cast<double>(now - start) / static_cast<double>(blocks * x86::kOpsPerBlock);
}
#else
double timed_loop(PyObject*, PyObject*, double) {
  throw std::runtime_error("the independent interpreter loop is x86-64 asm for CPython 3.11's object header");
}
#endif

}  // namespace

double real_interpreter_ns_per_op(unsigned pu, double seconds) {
  PinHere pin(pu);
  if (!Py_IsInitialized()) {
    Py_InitializeEx(0);
    PyEval_SaveThread();
  }
  const PyGILState_STATE gil = PyGILState_Ensure();
  PyObject* globals = PyDict_New();
  PyObject* fn = nullptr;
  PyObject* obj = PyFloat_FromDouble(0.5);  // made after pinning: first touched here
  double ns = 0;
  try {
    if (globals == nullptr || obj == nullptr) throw failed("making objects");
    fn = trivial_function(globals);
    const Py_ssize_t before = Py_REFCNT(obj);
    ns = timed_loop(fn, obj, seconds);
    if (Py_REFCNT(obj) != before) throw std::logic_error("independent interpreter loop did not conserve its count");
  } catch (...) {
    Py_XDECREF(fn);
    Py_XDECREF(obj);
    Py_XDECREF(globals);
    PyGILState_Release(gil);
    throw;
  }
  Py_DECREF(fn);
  Py_DECREF(obj);
  Py_DECREF(globals);
  PyGILState_Release(gil);
  return ns;
}

}  // namespace rcbench::fidelity
