#include "report/colour_scale.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace rcbench::report {
namespace {

struct Rgb {
  double r, g, b;
};

Rgb parse(const char* hex) {
  const auto channel = [&](int i) { return static_cast<double>(std::stoi(std::string(hex + 1 + 2 * i, 2), nullptr, 16)); };
  return {channel(0), channel(1), channel(2)};
}

}  // namespace

std::optional<double> ratio_position(double ratio) {
  if (!std::isfinite(ratio) || ratio <= 0) return std::nullopt;
  return std::clamp(std::log(ratio) / std::log(kSaturation), -1.0, 1.0);
}

std::optional<std::string> ratio_colour(double ratio) {
  const std::optional<double> t = ratio_position(ratio);
  if (!t) return std::nullopt;
  const Rgb even = parse(kEvenColour);
  const Rgb end = parse(*t < 0 ? kCheaperColour : kDearerColour);
  const double w = std::fabs(*t);
  const auto mix = [&](double a, double b) { return static_cast<int>(std::lround(a + (b - a) * w)); };
  return fmt::format("#{:02x}{:02x}{:02x}", mix(even.r, end.r), mix(even.g, end.g), mix(even.b, end.b));
}

}  // namespace rcbench::report
