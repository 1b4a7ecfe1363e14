// What a thread does in one turn of a spin-wait, so that waiting costs its core (and the
// line it polls) as little as possible without giving up the CPU.
//
// x86: `pause` lets a sibling hyperthread run and saves the memory-order flush when the
// wait ends.
// aarch64: `isb sy`, not `yield`. `yield` is a hint for SMT cores and a NOP on most Arm
// cores (Neoverse N1/V1/V2, Cortex-A7x), so a `yield` loop hammers the polled line as fast
// as a bare loop; `isb` flushes the pipeline, a real short delay (tens of cycles) much like
// `pause`. Rust's std::hint::spin_loop made the same choice on aarch64 in 2022.
// Elsewhere: nothing (a plain busy loop).
#pragma once

namespace rcbench::harness {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("isb sy" ::: "memory");
#endif
}

}  // namespace rcbench::harness
