// Descriptive statistics over repetitions. One place, used by the report, the
// tables and the gate, so every figure of one run is summarized the same way.
#pragma once

#include <cstddef>
#include <span>

namespace rcbench::stats {

struct Summary {
  std::size_t n = 0;
  double min = 0, max = 0, mean = 0, median = 0;
  double p10 = 0, p90 = 0;   // linear interpolation between order statistics (numpy's default)
  double stddev = 0;         // sample standard deviation (n - 1); 0 when n < 2
  double cv = 0;             // stddev / mean; 0 when mean == 0 (never NaN: reports are JSON)
};

// Quantile q in [0, 1] of `values` (any order), numpy's "linear" method.
// Throws std::invalid_argument on an empty span or q outside [0, 1].
double quantile(std::span<const double> values, double q);

// Throws std::invalid_argument on an empty span.
Summary summarize(std::span<const double> values);

}  // namespace rcbench::stats
