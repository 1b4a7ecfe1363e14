#include "limits.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace rcbench::harness::limits {

unsigned parse_count(std::string_view flag, std::string_view text, unsigned lo, unsigned hi) {
  unsigned long long v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || v < lo || v > hi)
    throw std::invalid_argument(fmt::format("{} '{}': expected an integer in {}..{}", flag, text, lo, hi));
  return static_cast<unsigned>(v);
}

double parse_seconds(std::string_view flag, std::string_view text, double hi, bool zero_ok) {
  const std::string s(text);
  char* end = nullptr;
  errno = 0;
  const double v = s.empty() ? NAN : std::strtod(s.c_str(), &end);
  const bool parsed = !s.empty() && end == s.c_str() + s.size() && errno == 0;
  const bool in_range = std::isfinite(v) && (zero_ok ? v >= 0 : v > 0) && v <= hi;
  if (!parsed || !in_range)
    throw std::invalid_argument(fmt::format("{} '{}': expected a finite number of seconds, {} {}", flag,
                                            text, zero_ok ? "0 to" : "more than 0 and at most", hi));
  return v;
}

}  // namespace rcbench::harness::limits
