// immortal (PEP 683): objects such as None, True and small ints are never freed,
// so CPython stops counting them. Py_INCREF and Py_DECREF still run on them; what
// they cost is one load and one test of the immortal bit, and no store, so the
// cache line stays shared in every core (no coherence traffic at all).
//
// Modelled on CPython 3.14's 64-bit default build (Include/refcount.h): the
// refcount field is 32 bits; an object is born with _Py_IMMORTAL_INITIAL_REFCNT
// (3 << 30); Py_INCREF skips when the count is >= that value, Py_DECREF skips when
// the 32-bit count is negative as a signed number (_Py_IsImmortal). The mortal
// branches are kept because CPython's code has them (they shape the machine code),
// but no object of this strategy ever takes them: every object is born immortal.
#pragma once

#include "catalog_entry.hpp"
#include "refcounter.hpp"
#include "stateless_domain.hpp"

#include <atomic>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace rcbench::counters {

struct Immortal {
  static constexpr std::string_view name = "immortal";
  static constexpr StrategyEntry catalog{
      .display = "immortal (PEP 683)", .order = 50,
      .summary = "PEP 683's immortal objects: the op tests the count and writes nothing"};
  static constexpr bool race_free = true;  // no immortal object's count is ever written
  static constexpr LastReference last_reference = LastReference::never;

  static constexpr std::uint32_t kImmortalInitialRefcnt = 3U << 30;  // _Py_IMMORTAL_INITIAL_REFCNT

  using Domain = StatelessDomain;
  using Thread = IndexThread;

  class Object {
   public:
    Object(Domain&, Thread&) noexcept {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    void incref(Thread&) noexcept {
      const std::uint32_t refcnt = refcnt_.load(std::memory_order_relaxed);
      if (refcnt >= kImmortalInitialRefcnt) [[likely]] return;
      refcnt_.store(refcnt + 1, std::memory_order_relaxed);
    }
    Drop decref(Thread&) noexcept {
      const std::uint32_t refcnt = refcnt_.load(std::memory_order_relaxed);
      if (is_immortal(refcnt)) [[likely]] return Drop::kept;
      refcnt_.store(refcnt - 1, std::memory_order_relaxed);
      return refcnt == 1 ? Drop::last : Drop::kept;
    }
    // The stored value, as CPython's Py_REFCNT reports it: kImmortalInitialRefcnt.
    std::int64_t read_exact_quiescent() const noexcept {
      return refcnt_.load(std::memory_order_relaxed);
    }

   private:
    static constexpr bool is_immortal(std::uint32_t refcnt) noexcept {
      return static_cast<std::int32_t>(refcnt) < 0;
    }
    std::atomic<std::uint32_t> refcnt_{kImmortalInitialRefcnt};
  };
};

static_assert(static_cast<std::int32_t>(Immortal::kImmortalInitialRefcnt) < 0,
              "the initial immortal count must have the sign bit that Py_DECREF tests");
static_assert(sizeof(Immortal::Object) == 4, "immortal object: CPython's 32-bit ob_refcnt");
static_assert(std::is_standard_layout_v<Immortal::Object>, "immortal object: placeable anywhere");

}  // namespace rcbench::counters
