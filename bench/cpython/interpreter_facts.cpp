#include "interpreter_facts.hpp"

#include "python_api.hpp"

#include <dlfcn.h>

namespace rcbench::cpython {

namespace {

// The file the dynamic loader took Py_Initialize from: with several libpythons on
// a machine (Debian's, a pyenv build), the one this process actually runs.
std::string loaded_library() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&Py_Initialize), &info) == 0 || info.dli_fname == nullptr)
    return "unknown (dladdr found no object for Py_Initialize)";
  return info.dli_fname;
}

}  // namespace

const InterpreterFacts& interpreter_facts() {
  static const InterpreterFacts facts = [] {
    InterpreterFacts f;
    f.available = true;
    f.version = Py_GetVersion();  // sys.version; valid before Py_Initialize
    f.version_hex = PY_VERSION_HEX;
#ifdef Py_GIL_DISABLED
    f.gil_disabled = true;
#endif
    f.library = loaded_library();
    f.pkg_config = RCBENCH_CPYTHON_PKG;
    return f;
  }();
  return facts;
}

}  // namespace rcbench::cpython
