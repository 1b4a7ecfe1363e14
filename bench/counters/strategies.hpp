// The one list of strategies. Tests and benchmark registration read it; readers above
// bench/ (report, compare, plots, the results index) read the entries of its
// strategies from the run JSON's catalog (catalog_entry.hpp). Adding a strategy is one
// header, with its catalog entry, and one line here.
#pragma once

#if RCBENCH_WITH_CPYTHON
// The real interpreter's rows (bench/cpython), when the build found libpython. First:
// Python.h must precede the standard headers.
#include "cpython/real_interpreter.hpp"
#endif

#include "atomic.hpp"
#include "catalog_entry.hpp"
#include "biased.hpp"
#include "deferred.hpp"
#include "gil_cpython.hpp"
#include "gil_lock.hpp"
#include "immortal.hpp"
#include "plain.hpp"
#include "refcounter.hpp"

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace rcbench::counters {

template <class... S>
struct TypeList {
  static constexpr std::size_t size = sizeof...(S);
};

// The real interpreter's rows, for the code that plans and describes them: their
// names and how many blocks apart their safe points are. Declared in every build (a
// discarded `if constexpr` branch must still name declared things); empty and 0 when
// the build has no libpython (kRealInterpreterRows false).
#if RCBENCH_WITH_CPYTHON
inline constexpr std::string_view kRealEvalName = cpython::CpythonEval::name;
inline constexpr std::string_view kRealReleaseName = cpython::CpythonRelease::name;
inline constexpr unsigned kRealBlocksPerSafePoint = cpython::kBlocksPerSafePoint;
#else
inline constexpr std::string_view kRealEvalName = {};
inline constexpr std::string_view kRealReleaseName = {};
inline constexpr unsigned kRealBlocksPerSafePoint = 0;
#endif

#if RCBENCH_WITH_CPYTHON
inline constexpr bool kRealInterpreterRows = true;
using AllStrategies = TypeList<Plain, Atomic, AtomicSeqCst, AtomicCas, Biased, Deferred, Immortal,
                               GilLock, GilCpython, cpython::CpythonEval, cpython::CpythonRelease>;
#else
inline constexpr bool kRealInterpreterRows = false;
using AllStrategies = TypeList<Plain, Atomic, AtomicSeqCst, AtomicCas, Biased, Deferred, Immortal,
                               GilLock, GilCpython>;
#endif

// Calls f.template operator()<S>() for each S in the list, in order; e.g.
//   for_each_strategy<AllStrategies>([]<class S>() { std::puts(S::name.data()); });
template <class List, class F>
constexpr void for_each_strategy(F&& f) {
  [&]<class... S>(TypeList<S...>) { (f.template operator()<S>(), ...); }(List{});
}

template <class List>
inline constexpr auto strategy_names = []<class... S>(TypeList<S...>) {
  return std::array<std::string_view, sizeof...(S)>{S::name...};
}(List{});

namespace detail {
template <class... S>
constexpr bool all_satisfy_concept(TypeList<S...>) {
  return (RefCountStrategy<S> && ...);
}
template <class... S>
constexpr bool all_in_catalog(TypeList<S...>) {
  return (std::is_same_v<std::remove_cv_t<decltype(S::catalog)>, StrategyEntry> && ...);
}
template <std::size_t N>
constexpr bool all_distinct(const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = i + 1; j < N; ++j) {
      if (names[i] == names[j]) return false;
    }
  }
  return true;
}
}  // namespace detail

static_assert(detail::all_satisfy_concept(AllStrategies{}),
              "every listed strategy must satisfy RefCountStrategy");
static_assert(detail::all_in_catalog(AllStrategies{}),
              "every listed strategy declares its catalog entry (catalog_entry.hpp)");
static_assert(detail::all_distinct(strategy_names<AllStrategies>),
              "strategy names appear in benchmark names: they must be distinct");

}  // namespace rcbench::counters
