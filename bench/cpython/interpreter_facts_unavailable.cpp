// Built without libpython: the run says so, and why, instead of failing.
#include "interpreter_facts.hpp"

namespace rcbench::cpython {

const InterpreterFacts& interpreter_facts() {
  static const InterpreterFacts facts = [] {
    InterpreterFacts f;
    f.reason = RCBENCH_CPYTHON_MISSING_REASON;
    return f;
  }();
  return facts;
}

}  // namespace rcbench::cpython
