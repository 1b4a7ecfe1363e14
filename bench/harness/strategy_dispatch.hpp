// From a strategy's name (as in benchmark names) to its type, over the one
// strategy list in counters/strategies.hpp.
#pragma once

#include "counters/strategies.hpp"

#include <string_view>

namespace rcbench::harness {

template <class List>
struct StrategyDispatch;

template <template <class...> class List, class... S>
struct StrategyDispatch<List<S...>> {
  // Calls f.template operator()<T>() for the strategy T named `name`; false if none.
  template <class F>
  static bool call(std::string_view name, F&& f) {
    return ((S::name == name ? (f.template operator()<S>(), true) : false) || ...);
  }
};

template <class F>
bool with_strategy(std::string_view base_name, F&& f) {
  return StrategyDispatch<counters::AllStrategies>::call(base_name, static_cast<F&&>(f));
}

inline bool strategy_exists(std::string_view base_name) {
  return with_strategy(base_name, []<class>() {});
}

}  // namespace rcbench::harness
