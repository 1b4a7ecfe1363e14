// Numbers as people read them: a few significant digits, a unit, no exponent where
// a prefix or an integer reads better. Every table goes through these.
#pragma once

#include <optional>
#include <string>

namespace rcbench::report::format {

// `digits` significant digits; integers (no exponent) from 10^digits up. "2.1", "0.0512", "1234".
std::string sig(double value, int digits = 3);
// With an SI prefix: 1.67e9 -> "1.67 G", 412e6 -> "412 M", 950 -> "950".
std::string si(double value, int digits = 3);
// "2.1 ns"
std::string ns(double value);
// "0.048×": ratios carry two significant digits, about what a ratio of two medians
// from a noisy machine supports.
std::string ratio(double value);
// "—" for a missing value, else the formatted one.
std::string or_dash(const std::optional<double>& value, std::string (*fmt_fn)(double));

}  // namespace rcbench::report::format
