// The independent side of the real interpreter's row: CPython 3.11 embedded with its
// own initialisation, the GIL taken with PyGILState_Ensure, Py_INCREF/Py_DECREF on a
// float made by the interpreter (as asm, x86_blocks.hpp), and a call of a trivial
// Python function every kOpsPerCall ops. Shares no code with bench/cpython.
#pragma once

namespace rcbench::fidelity {

// rcbench's cpython3XX_eval calls trivial() every 4 blocks of 16 ops
// (rcbench.cpython.eval_every_ops); written here again, not included.
inline constexpr unsigned kOpsPerCall = 64;

// Thread CPU ns per op, pinned to `pu`, for about `seconds` of thread CPU time.
// Throws std::runtime_error when the interpreter fails or the count moved.
double real_interpreter_ns_per_op(unsigned pu, double seconds);

}  // namespace rcbench::fidelity
