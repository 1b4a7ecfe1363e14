// What the run records about the real interpreter: which libpython the binary
// embeds (version, build, library file), or why it embeds none. Reading these facts
// does not start the interpreter.
#pragma once

#include <cstdint>
#include <string>

namespace rcbench::cpython {

struct InterpreterFacts {
  bool available = false;
  std::string reason;        // why not, when !available
  std::string version;       // sys.version of the loaded library
  std::uint32_t version_hex = 0;  // PY_VERSION_HEX the rows were compiled against
  bool gil_disabled = false; // a free-threaded build (Py_GIL_DISABLED)
  std::string library;       // the shared object the interpreter was loaded from
  std::string pkg_config;    // the pkg-config name the build used
};

const InterpreterFacts& interpreter_facts();

}  // namespace rcbench::cpython
