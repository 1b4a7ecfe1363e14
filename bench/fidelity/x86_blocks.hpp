// The operations, as x86-64 machine code. One block = 16 ops (as many as rcbench's timed block), one op = one incref +
// one decref. Inline asm fixes the instruction sequence: a compiler given C++ may
// merge an increment with the following decrement, keep the count in a register or
// pick another instruction (e.g. `lock dec` for fetch_sub), and then the figure
// would be of code nobody runs. "memory" makes every block a compiler barrier, so
// blocks are neither merged nor moved out of the loop. Only for x86-64 builds.
#pragma once

#if defined(__x86_64__)

#include <cstddef>
#include <cstdint>

namespace rcbench::fidelity::x86 {

#define RCF_REP16(op) op op op op op op op op op op op op op op op op

// A free-threaded CPython object's count fields (Include/object.h, Py_GIL_DISABLED),
// reduced to what the ops touch; the asm below uses these offsets as literals.
struct alignas(128) BiasedObject {
  std::uint64_t tid;     // owner's thread id (ob_tid)
  std::uint32_t local;   // owner's count (ob_ref_local), changed without lock
  std::uint32_t flags;   // unused here; keeps ob_ref_shared 8-byte aligned as in CPython
  std::int64_t shared;   // everyone else's count << 2 (ob_ref_shared, _Py_REF_SHARED_SHIFT)
};
static_assert(offsetof(BiasedObject, tid) == 0 && offsetof(BiasedObject, local) == 8 &&
                  offsetof(BiasedObject, shared) == 16,
              "the biased asm addresses tid, local and shared at 0, 8 and 16");

// _Py_ThreadId() on x86-64 Linux: the thread's TLS base, read from %fs:0.
inline std::uint64_t thread_id() {
  std::uint64_t tid;
  asm volatile("movq %%fs:0, %0" : "=r"(tid));
  return tid;
}

// CPython's immortal refcount (3.12+, 64-bit): 3 << 30 in the low 32 bits.
inline constexpr std::uint32_t kImmortal = 3u << 30;

// The loop's own cost: what every other block pays besides its ops.
inline void empty_block() { asm volatile("" ::: "memory"); }

// Unlocked increment as CPython's Py_INCREF (ob_refcnt++) and rcbench's `plain`
// (relaxed load, then a separate relaxed store) compile: load, add, store.
inline void plain_block(std::uint64_t* c) {
  asm volatile(RCF_REP16("movq (%[c]), %%rax\n\t"
                        "addq $1, %%rax\n\t"
                        "movq %%rax, (%[c])\n\t"
                        "movq (%[c]), %%rax\n\t"
                        "subq $1, %%rax\n\t"
                        "movq %%rax, (%[c])\n\t")
               : : [c] "r"(c) : "rax", "cc", "memory");
}

// fetch_add(1, relaxed) and fetch_sub(1, release): on x86 both are locked RMWs,
// and the decrement needs the old value (was it the last reference?): xadd.
inline void atomic_block(std::uint64_t* c) {
  asm volatile(RCF_REP16("lock addq $1, (%[c])\n\t"
                        "movq $-1, %%rax\n\t"
                        "lock xaddq %%rax, (%[c])\n\t")
               : : [c] "r"(c) : "rax", "cc", "memory");
}

// compare_exchange loops both ways: load, compute, lock cmpxchg, retry on failure
// (cmpxchg leaves the current value in rax, so a retry needs no new load).
inline void cas_block(std::uint64_t* c) {
  asm volatile(RCF_REP16("movq (%[c]), %%rax\n\t"
                        "1: leaq 1(%%rax), %%rdx\n\t"
                        "lock cmpxchgq %%rdx, (%[c])\n\t"
                        "jne 1b\n\t"
                        "movq (%[c]), %%rax\n\t"
                        "2: leaq -1(%%rax), %%rdx\n\t"
                        "lock cmpxchgq %%rdx, (%[c])\n\t"
                        "jne 2b\n\t")
               : : [c] "r"(c) : "rax", "rdx", "cc", "memory");
}

// Owner path of CPython's free-threaded _Py_IncRef/_Py_DecRef: the owner test
// (ob_tid == _Py_ThreadId(), which on x86-64 Linux is `movq %fs:0`: a load, per test), then an unlocked load/add/store on the 32-bit local count; the
// decrement also tests for zero (where CPython would merge). The branches to 9f
// (not owner, reached zero) are never taken here; they only have to exist.
inline void biased_owner_block(BiasedObject* o) {
  asm volatile(RCF_REP16("movq %%fs:0, %%rcx\n\t"
                        "cmpq %%rcx, 0(%[o])\n\t"
                        "jne 9f\n\t"
                        "movl 8(%[o]), %%eax\n\t"
                        "addl $1, %%eax\n\t"
                        "movl %%eax, 8(%[o])\n\t"
                        "movq %%fs:0, %%rcx\n\t"
                        "cmpq %%rcx, 0(%[o])\n\t"
                        "jne 9f\n\t"
                        "movl 8(%[o]), %%eax\n\t"
                        "subl $1, %%eax\n\t"
                        "movl %%eax, 8(%[o])\n\t"
                        "testl %%eax, %%eax\n\t"
                        "je 9f\n\t") "9:\n\t"
               : : [o] "r"(o) : "rax", "rcx", "cc", "memory");
}

// Non-owner path: the owner test fails; incref is a locked add of 1 << 2 to the
// shared field; decref is _Py_DecRefShared's load and CAS loop subtracting 1 << 2.
// The never-taken branches to 9f stand for the owner's path.
inline void biased_nonowner_block(BiasedObject* o) {
  asm volatile(RCF_REP16("movq %%fs:0, %%rcx\n\t"
                        "cmpq %%rcx, 0(%[o])\n\t"
                        "je 9f\n\t"
                        "lock addq $4, 16(%[o])\n\t"
                        "movq %%fs:0, %%rcx\n\t"
                        "cmpq %%rcx, 0(%[o])\n\t"
                        "je 9f\n\t"
                        "movq 16(%[o]), %%rax\n\t"
                        "1: leaq -4(%%rax), %%rdx\n\t"
                        "lock cmpxchgq %%rdx, 16(%[o])\n\t"
                        "jne 1b\n\t") "9:\n\t"
               : : [o] "r"(o) : "rax", "rcx", "rdx", "cc", "memory");
}

// Immortal object: incref loads the 32-bit count, compares it with 3 << 30 and
// skips (branch taken); decref loads it, tests the sign and skips. The skipped
// add/sub is there so that the branch skips what CPython's would.
inline void immortal_block(std::uint32_t* c) {
  asm volatile(RCF_REP16("movl (%[c]), %%eax\n\t"
                        "cmpl $0xc0000000, %%eax\n\t"
                        "jae 1f\n\t"
                        "addl $1, %%eax\n\t"
                        "movl %%eax, (%[c])\n\t"
                        "1: movl (%[c]), %%eax\n\t"
                        "testl %%eax, %%eax\n\t"
                        "js 2f\n\t"
                        "subl $1, %%eax\n\t"
                        "movl %%eax, (%[c])\n\t"
                        "2:\n\t")
               : : [c] "r"(c) : "rax", "cc", "memory");
}

// The same test laid out the other way: the skip falls through and the branch to
// the update is the one not taken, as a compiler lays out `if (immortal) [[likely]]
// return;`. Only the layout differs, so the two immortal figures bound what the
// branch's direction costs. The update path (9f) is never reached here.
inline void immortal_fallthrough_block(std::uint32_t* c) {
  asm volatile(RCF_REP16("movl (%[c]), %%eax\n\t"
                        "cmpl $0xc0000000, %%eax\n\t"
                        "jb 9f\n\t"
                        "movl (%[c]), %%eax\n\t"
                        "testl %%eax, %%eax\n\t"
                        "jns 9f\n\t") "9:\n\t"
               : : [c] "r"(c) : "rax", "cc", "memory");
}

// CPython 3.11's Py_INCREF and Py_DECREF as GCC compiles them (ob_refcnt at offset 0):
// an add to memory; a subtract from memory and a branch to _Py_Dealloc on zero (9f,
// never taken here: the object is held).
inline void cpython311_block(void* ob_refcnt) {
  asm volatile(RCF_REP16("addq $1, (%[c])\n\t"
                        "subq $1, (%[c])\n\t"
                        "je 9f\n\t") "9:\n\t"
               : : [c] "r"(ob_refcnt) : "cc", "memory");
}

#undef RCF_REP16

inline constexpr unsigned kOpsPerBlock = 16;

}  // namespace rcbench::fidelity::x86

#endif  // __x86_64__
