// plain: CPython's Py_INCREF/Py_DECREF under the GIL, `ob_refcnt++` and
// `--ob_refcnt == 0`: a read-modify-write with no lock prefix. Correct on one
// thread; two threads on one object lose updates (both read n, both write n+1).
//
// A racing plain `int64_t++` would be undefined behaviour in C++, so the count is
// a std::atomic accessed by a relaxed load and a *separate* relaxed store: defined
// behaviour, the same machine code as the unlocked RMW (mov, add, mov), and the
// same lost updates. (tests/counters/machine_code_test checks there is no `lock`.)
#pragma once

#include "catalog_entry.hpp"
#include "refcounter.hpp"
#include "stateless_domain.hpp"

#include <atomic>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace rcbench::counters {

struct Plain {
  static constexpr std::string_view name = "plain";
  static constexpr StrategyEntry catalog{
      .display = "plain (load, add, store)", .order = 10,
      .summary = "CPython's Py_INCREF/Py_DECREF with the GIL held: an unlocked read-modify-write",
      .reference = true};
  static constexpr bool race_free = false;
  static constexpr LastReference last_reference = LastReference::reported;

  using Domain = StatelessDomain;
  using Thread = IndexThread;

  class Object {
   public:
    Object(Domain&, Thread&) noexcept {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    void incref(Thread&) noexcept {
      count_.store(count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    // Like `--ob_refcnt == 0`: the last reference is the one that read 1.
    Drop decref(Thread&) noexcept {
      const std::int64_t before = count_.load(std::memory_order_relaxed);
      count_.store(before - 1, std::memory_order_relaxed);
      return before == 1 ? Drop::last : Drop::kept;
    }
    std::int64_t read_exact_quiescent() const noexcept {
      return count_.load(std::memory_order_relaxed);
    }

   private:
    std::atomic<std::int64_t> count_{1};
  };
};

static_assert(std::atomic<std::int64_t>::is_always_lock_free,
              "plain's relaxed load/store must be plain moves, not a library lock");
static_assert(sizeof(Plain::Object) == 8, "plain object: one 8-byte count, like ob_refcnt");
static_assert(std::is_standard_layout_v<Plain::Object>, "plain object: placeable anywhere");

}  // namespace rcbench::counters
