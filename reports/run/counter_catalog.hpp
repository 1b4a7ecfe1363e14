// What each figure a run records per repetition is: its unit and scope, and which way
// is better. Compare judges a change by it; readers print the unit from it. A counter
// the catalog does not know is not guessed at from its name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rcbench::runjson {

enum class Better { lower, higher };

struct CounterInfo {
  std::string unit;  // with its scope: "ns per op, per thread"
  Better better = Better::lower;
};

// nullopt for a counter rcbench does not write (or a typo). PAPI events
// ("papi:<EVENT>") are counts per op: lower is better.
std::optional<CounterInfo> counter_info(std::string_view counter);

// The catalog's names, comma-separated, for messages.
std::string known_counters();

}  // namespace rcbench::runjson
