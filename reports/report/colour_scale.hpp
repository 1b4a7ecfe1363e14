// The HTML page's colour for a ratio cell: a diverging scale, white at 1×, blue below
// (cheaper than the row it is read against), red above (dearer), on a log scale so that
// 0.5× and 2× are equally strong, saturating at kSaturation× and 1/kSaturation×.
#pragma once

#include <optional>
#include <string>

namespace rcbench::report {

inline constexpr double kSaturation = 10.0;

// -1 (at or below 1/kSaturation×) .. 0 (1×) .. +1 (at or above kSaturation×); nullopt
// for a ratio that is not finite or not > 0 (nothing to colour).
std::optional<double> ratio_position(double ratio);

// "#rrggbb" for the cell's background; nullopt as ratio_position.
std::optional<std::string> ratio_colour(double ratio);

// The colours at -1, 0 and +1, for the legend's gradient.
inline constexpr const char* kCheaperColour = "#4393c3";
inline constexpr const char* kEvenColour = "#ffffff";
inline constexpr const char* kDearerColour = "#d6604d";

}  // namespace rcbench::report
