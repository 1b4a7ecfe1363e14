#include "embedded_interpreter.hpp"

#include <stdexcept>
#include <string>

namespace rcbench::cpython {

namespace {

// Zero-initialised like a C static type; filled in before PyType_Ready.
PyTypeObject g_object_type;

// The object's memory belongs to the workload, which destroys the C++ wrapper itself.
void dealloc_nothing(PyObject*) {}

std::runtime_error python_error(const std::string& what) {
  PyErr_Print();
  return std::runtime_error("embedded CPython: " + what + " failed (traceback above)");
}

PyTypeObject* ready_object_type() {
  Py_SET_REFCNT(reinterpret_cast<PyObject*>(&g_object_type), 1);  // PyVarObject_HEAD_INIT's count
  g_object_type.tp_name = "rcbench.Object";
  g_object_type.tp_basicsize = sizeof(PyObject);
  g_object_type.tp_flags = Py_TPFLAGS_DEFAULT;
  g_object_type.tp_dealloc = dealloc_nothing;
  g_object_type.tp_doc = "An object whose only state is its reference count.";
  if (PyType_Ready(&g_object_type) != 0) throw python_error("PyType_Ready(rcbench.Object)");
  return &g_object_type;
}

// `def trivial(): pass` in a module namespace of its own, which lives for ever.
PyObject* define_trivial() {
  PyObject* globals = PyDict_New();
  if (globals == nullptr || PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) != 0)
    throw python_error("making a globals dict");
  PyObject* result = PyRun_String("def trivial():\n    pass\n", Py_file_input, globals, globals);
  if (result == nullptr) throw python_error("defining trivial()");
  Py_DECREF(result);
  PyObject* trivial = PyDict_GetItemString(globals, "trivial");  // borrowed from globals
  if (trivial == nullptr) throw python_error("looking up trivial()");
  return trivial;
}

}  // namespace

EmbeddedInterpreter& EmbeddedInterpreter::get() {
  static EmbeddedInterpreter interpreter;
  return interpreter;
}

EmbeddedInterpreter::EmbeddedInterpreter() {
  if (!Py_IsInitialized()) {
    // No signal handlers: Ctrl-C must stay rcbench's (it removes partial files).
    Py_InitializeEx(0);
    // The benchmark threads take the GIL with their own thread states.
    PyEval_SaveThread();
  }
  // Else a host started it (the fidelity check's independent loop): use that one.
  const PyGILState_STATE gil = PyGILState_Ensure();
  try {
    interp_ = PyInterpreterState_Get();
    object_type_ = ready_object_type();
    trivial_ = define_trivial();
  } catch (...) {
    PyGILState_Release(gil);
    throw;
  }
  PyGILState_Release(gil);
}

void EmbeddedInterpreter::set_switch_interval(std::chrono::microseconds interval) {
  const PyGILState_STATE gil = PyGILState_Ensure();
  _PyEval_SetSwitchInterval(static_cast<unsigned long>(interval.count()));
  PyGILState_Release(gil);
}

}  // namespace rcbench::cpython
