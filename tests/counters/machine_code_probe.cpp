// One out-of-line function per operation whose machine code the test inspects.
// Compiled with -O2 and without sanitizers (CMakeLists.txt), whatever the build
// type, so what objdump sees is what an optimized benchmark runs.
#if RCBENCH_WITH_CPYTHON
#include "cpython/real_interpreter.hpp"  // Python.h first
#endif

#include "counters/atomic.hpp"
#include "counters/biased.hpp"
#include "counters/immortal.hpp"
#include "counters/plain.hpp"
#include "harness/timed_block.hpp"
#include "workloads/workload.hpp"

using rcbench::counters::Atomic;
using rcbench::counters::Biased;
using rcbench::counters::Drop;
using rcbench::counters::Immortal;
using rcbench::counters::Plain;

extern "C" {

[[gnu::noinline]] void rcbench_probe_plain_incref(Plain::Object* o, Plain::Thread* t) {
  o->incref(*t);
}
[[gnu::noinline]] Drop rcbench_probe_plain_decref(Plain::Object* o, Plain::Thread* t) {
  return o->decref(*t);
}
[[gnu::noinline]] void rcbench_probe_atomic_incref(Atomic::Object* o, Atomic::Thread* t) {
  o->incref(*t);
}
[[gnu::noinline]] Drop rcbench_probe_atomic_decref(Atomic::Object* o, Atomic::Thread* t) {
  return o->decref(*t);
}
[[gnu::noinline]] void rcbench_probe_biased_incref(Biased::Object* o, Biased::Thread* t) {
  o->incref(*t);
}
[[gnu::noinline]] Drop rcbench_probe_biased_decref(Biased::Object* o, Biased::Thread* t) {
  return o->decref(*t);
}

// The harness's timed block, as the benchmarks run it: kOpsPerTimedBlock ops expanded
// at compile time.
[[gnu::noinline]] void rcbench_probe_plain_block(Plain::Object* o, Plain::Thread* t) {
  rcbench::harness::run_block<Plain, rcbench::workloads::kOpsPerTimedBlock>(*o, *t);
}
[[gnu::noinline]] void rcbench_probe_biased_block(Biased::Object* o, Biased::Thread* t) {
  rcbench::harness::run_block<Biased, rcbench::workloads::kOpsPerTimedBlock>(*o, *t);
}
[[gnu::noinline]] void rcbench_probe_immortal_block(Immortal::Object* o, Immortal::Thread* t) {
  rcbench::harness::run_block<Immortal, rcbench::workloads::kOpsPerTimedBlock>(*o, *t);
}

#if RCBENCH_WITH_CPYTHON
using rcbench::cpython::CpythonEval;
[[gnu::noinline]] void rcbench_probe_cpython_block(CpythonEval::Object* o, CpythonEval::Thread* t) {
  rcbench::harness::run_block<CpythonEval, rcbench::workloads::kOpsPerTimedBlock>(*o, *t);
}
#endif

}  // extern "C"
