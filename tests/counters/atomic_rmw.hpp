// Which instructions of a function are atomic read-modify-writes, in each form a
// compiler emits them:
//   x86-64        a `lock`-prefixed instruction (or xchg with memory, locked without one);
//   aarch64 LSE   ldadd, ldclr, ldeor, ldset, ld{s,u}{max,min}, swp, cas (and st* aliases);
//   aarch64 LL/SC a load-/store-exclusive loop, counted once, at its store (stxr, stlxr);
//   outline       a call to one of libgcc's helpers (__aarch64_ldadd8_relax, ...), which
//                 picks LSE or LL/SC at run time (GCC's default on aarch64).
// And each one's memory order, where the instruction says it (aarch64); an x86 locked
// instruction is a full barrier whatever order the source asked for.
#pragma once

#include "disassembly.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rcbench::testing {

enum class RmwForm { lock, lse, llsc, outline };
enum class RmwOrder { relaxed, acquire, release, acq_rel, full_barrier };

struct AtomicRmw {
  RmwForm form;
  RmwOrder order;
  std::string instruction;  // the instruction's text, for messages
};

std::vector<AtomicRmw> atomic_rmws(const Code& code);

const char* form_name(RmwForm form);
const char* order_name(RmwOrder order);

}  // namespace rcbench::testing
