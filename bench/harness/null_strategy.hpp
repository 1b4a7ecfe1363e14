// calibration/overhead's "strategy": every op does nothing, but the compiler must
// still emit the loop, so the row measures what the harness costs per op.
#pragma once

#include "counters/refcounter.hpp"

#include <cstdint>
#include <string_view>

namespace rcbench::harness {

struct NullStrategy {
  static constexpr std::string_view name = "null";
  static constexpr bool race_free = true;
  struct Thread {};
  struct Domain {
    explicit Domain(counters::DomainConfig) {}
    Thread attach(std::size_t) { return {}; }
    template <class F>
    void poll(Thread&, F&&) {}
    void detach(Thread&) {}
  };
  struct Object {
    Object(Domain&, Thread&) {}
    // An empty volatile asm: no instruction and no memory traffic, but the compiler
    // may not delete it, so the loop around it stays.
    void incref(Thread&) noexcept { asm volatile(""); }
    counters::Drop decref(Thread&) noexcept {
      asm volatile("");
      return counters::Drop::kept;
    }
    std::int64_t read_exact_quiescent() const { return 1; }
    std::int64_t count = 1;
  };
};
static_assert(counters::RefCountStrategy<NullStrategy>);

}  // namespace rcbench::harness
