#include "report/format.hpp"

#include <fmt/core.h>

#include <array>
#include <cmath>

namespace rcbench::report::format {

std::string sig(double value, int digits) {
  if (!std::isfinite(value)) return "—";
  if (std::fabs(value) >= std::pow(10.0, digits)) return fmt::format("{:.0f}", value);
  std::string out = fmt::format("{:.{}g}", value, digits);
  // 999.7 at 3 digits rounds to "1e+03": print the integer instead.
  if (out.find("e+") != std::string::npos) out = fmt::format("{:.0f}", value);
  return out;
}

std::string si(double value, int digits) {
  static constexpr std::array<const char*, 5> kPrefix = {"", " k", " M", " G", " T"};
  if (!std::isfinite(value)) return "—";
  std::size_t p = 0;
  double v = value;
  while (std::fabs(v) >= 1000.0 && p + 1 < kPrefix.size()) {
    v /= 1000.0;
    ++p;
  }
  return sig(v, digits) + kPrefix[p];
}

std::string ns(double value) { return sig(value) + " ns"; }

std::string ratio(double value) { return sig(value, 2) + "×"; }

std::string or_dash(const std::optional<double>& value, std::string (*fmt_fn)(double)) {
  return value ? fmt_fn(*value) : "—";
}

}  // namespace rcbench::report::format
