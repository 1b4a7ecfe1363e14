// What a thread does in a spin-wait: the x86 `pause` (lets a sibling hyperthread run
// and saves the memory-order flush when the wait ends); nothing elsewhere.
#pragma once

namespace rcbench::harness {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace rcbench::harness
