// Mann-Whitney U test (Wilcoxon rank-sum), two-sided, as scipy.stats.mannwhitneyu
// 1.10 computes it with its defaults (use_continuity=True, method='auto'), so a result
// can be checked against scipy and against Google Benchmark's tools/compare.py, which
// calls scipy. Hand-written: no C++ library packaged by Debian offers it (Boost.Math
// supplies only the normal distribution used below).
//
// Why this test: repetitions of a benchmark are not normal (right-skewed, with rare
// large outliers from interrupts and steal), so a rank test that assumes nothing about
// the shape is the honest choice. Its weak point is power with few repetitions: with
// 3 vs 3 the smallest reachable two-sided p is 0.1, so the gate enforces a minimum.
#pragma once

#include <span>

namespace rcbench::stats {

enum class UMethod {
  automatic,   // scipy's 'auto': exact when either sample has <= 8 values and no value
               // is tied; the normal approximation otherwise
  exact,       // exact null distribution of U (ignores ties, like scipy)
  asymptotic,  // normal approximation with tie correction and continuity correction
};

struct UTestResult {
  double u1 = 0;       // U statistic of the first sample (scipy's `statistic`)
  double p_value = 1;  // two-sided
  bool exact = false;  // which method produced p_value
};

// Two-sided test that x and y come from the same distribution. Throws
// std::invalid_argument on an empty sample or a NaN value.
UTestResult mann_whitney_u(std::span<const double> x, std::span<const double> y,
                           UMethod method = UMethod::automatic);

}  // namespace rcbench::stats
