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

double parse_duration(std::string_view flag, std::string_view text, double hi) {
  auto fail = [&](std::string_view reason) {
    return std::invalid_argument(fmt::format("{} '{}': {}; expected a duration such as 90s, 20m, 1h or 1h30m",
                                             flag, text, reason));
  };
  auto number_at = [&](std::size_t& i) {
    const std::size_t start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    const std::string digits(text.substr(start, i - start));
    char* end = nullptr;
    const double v = digits.empty() ? NAN : std::strtod(digits.c_str(), &end);
    if (digits.empty() || end != digits.c_str() + digits.size()) throw fail("not a duration");
    return v;
  };
  if (!text.empty() && text.front() == '-') throw fail("a duration cannot be negative");
  std::size_t i = 0;
  double total = 0;
  if (text.empty()) throw fail("empty");
  // A bare number is seconds; otherwise number-unit pairs, each unit at most once, h m s.
  std::string units_seen;
  while (i < text.size()) {
    const double v = number_at(i);
    if (i == text.size()) {
      if (!units_seen.empty()) throw fail("a number without its unit (s, m or h)");
      total = v;
      break;
    }
    const char unit = text[i++];
    const double scale = unit == 'h' ? 3600 : unit == 'm' ? 60 : unit == 's' ? 1 : 0;
    if (scale == 0) throw fail(fmt::format("unknown unit '{}' (s, m or h)", unit));
    if (!units_seen.empty() && std::string_view("hms").find(unit) <= std::string_view("hms").find(units_seen.back()))
      throw fail("units out of order (h, then m, then s, each once)");
    units_seen += unit;
    total += v * scale;
  }
  if (!std::isfinite(total) || total <= 0) throw fail("must be more than 0");
  if (total > hi) throw fail(fmt::format("more than the most allowed, {:g} s", hi));
  return total;
}

}  // namespace rcbench::harness::limits
