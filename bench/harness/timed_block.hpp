// The timed block: N ops, expanded at compile time, and nothing else. One op is one
// incref followed by one decref of the same object. The decrement's answer is
// discarded here: what a workload's counts must be is checked after the window
// (counts, drops reported at poll), never per op, so the block is the strategy's own
// instructions and no harness bookkeeping (tests/counters/machine_code_test checks
// that for plain and immortal).
#pragma once

#include "counters/refcounter.hpp"

#include <cstddef>
#include <utility>

namespace rcbench::harness {

namespace detail {

template <counters::RefCountStrategy S, std::size_t... I>
[[gnu::always_inline]] inline void ops_on_one(typename S::Object& obj, typename S::Thread& t,
                                              std::index_sequence<I...>) noexcept {
  ((static_cast<void>(I), obj.incref(t), static_cast<void>(obj.decref(t))), ...);
}

template <counters::RefCountStrategy S, std::size_t... I>
[[gnu::always_inline]] inline void ops_on_sequence(typename S::Object* const* objs,
                                                   typename S::Thread& t,
                                                   std::index_sequence<I...>) noexcept {
  ((objs[I]->incref(t), static_cast<void>(objs[I]->decref(t))), ...);
}

}  // namespace detail

// N ops on one object.
template <counters::RefCountStrategy S, std::size_t N>
[[gnu::always_inline]] inline void run_block(typename S::Object& obj, typename S::Thread& t) noexcept {
  detail::ops_on_one<S>(obj, t, std::make_index_sequence<N>{});
}

// N ops, op i on objs[i] (the mixed workload's pattern, resolved before the window
// into one pointer per op: one load of a pointer the core already holds in L1).
template <counters::RefCountStrategy S, std::size_t N>
[[gnu::always_inline]] inline void run_block(typename S::Object* const* objs,
                                             typename S::Thread& t) noexcept {
  detail::ops_on_sequence<S>(objs, t, std::make_index_sequence<N>{});
}

}  // namespace rcbench::harness
