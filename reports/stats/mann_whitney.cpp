#include "mann_whitney.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace rcbench::stats {
namespace {

struct Ranked {
  double rank_sum_x = 0;  // sum of the (mid-)ranks of x's values in x ++ y
  double tie_term = 0;    // sum over groups of tied values of t^3 - t
  bool has_ties = false;
};

Ranked rank(std::span<const double> x, std::span<const double> y) {
  struct Item {
    double value;
    bool from_x;
  };
  std::vector<Item> all;
  all.reserve(x.size() + y.size());
  for (double v : x) all.push_back({v, true});
  for (double v : y) all.push_back({v, false});
  std::sort(all.begin(), all.end(), [](const Item& a, const Item& b) { return a.value < b.value; });
  Ranked r;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j].value == all[i].value) ++j;
    const double t = static_cast<double>(j - i);
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k)
      if (all[k].from_x) r.rank_sum_x += mid_rank;
    if (t > 1) {
      r.tie_term += t * t * t - t;
      r.has_ties = true;
    }
    i = j;
  }
  return r;
}

// P(U <= k) under the null hypothesis for samples of sizes m and n. The number of
// arrangements giving U = k is the coefficient of q^k in the Gaussian binomial
// coefficient [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i); after step i
// the product is [n+i choose i]_q, a polynomial with non-negative integer
// coefficients, so each division by (1 - q^i) is an exact running sum.
double exact_cdf(std::size_t m, std::size_t n, std::size_t k) {
  std::vector<double> poly(m * n + 1, 0.0);
  poly[0] = 1.0;
  std::size_t degree = 0;
  for (std::size_t i = 1; i <= m; ++i) {
    const std::size_t shift = n + i;
    const std::size_t new_degree = degree + n;  // degree of [n+i choose i]_q = i*n
    for (std::size_t d = std::min(new_degree + i, poly.size() - 1) + 1; d-- > shift;)
      poly[d] -= poly[d - shift];
    for (std::size_t d = i; d <= new_degree; ++d) poly[d] += poly[d - i];
    // Above i*n the exact quotient is zero; clear what the running sum did not reach.
    for (std::size_t d = new_degree + 1; d <= std::min(new_degree + i, poly.size() - 1); ++d)
      poly[d] = 0;
    degree = new_degree;
  }
  const double total = std::accumulate(poly.begin(), poly.end(), 0.0);
  double below = 0;
  for (std::size_t d = 0; d <= std::min(k, poly.size() - 1); ++d) below += poly[d];
  return below / total;
}

}  // namespace

UTestResult mann_whitney_u(std::span<const double> x, std::span<const double> y, UMethod method) {
  if (x.empty() || y.empty()) throw std::invalid_argument("Mann-Whitney U test: empty sample");
  for (auto s : {x, y})
    for (double v : s)
      if (std::isnan(v)) throw std::invalid_argument("Mann-Whitney U test: NaN in sample");

  const auto n1 = static_cast<double>(x.size());
  const auto n2 = static_cast<double>(y.size());
  const Ranked r = rank(x, y);
  UTestResult res;
  res.u1 = r.rank_sum_x - n1 * (n1 + 1) / 2;
  const double u = std::max(res.u1, n1 * n2 - res.u1);  // two-sided: the larger tail

  if (method == UMethod::automatic)
    method = (x.size() > 8 && y.size() > 8) || r.has_ties ? UMethod::asymptotic : UMethod::exact;

  if (method == UMethod::exact) {
    res.exact = true;
    // P(U >= u) = P(U <= m*n - u) by symmetry; scipy truncates a tied (x.5) U to int.
    const auto k = static_cast<std::size_t>(n1 * n2 - std::trunc(u));
    res.p_value = 2 * exact_cdf(x.size(), y.size(), k);
  } else {
    const double n = n1 + n2;
    const double s = std::sqrt(n1 * n2 / 12 * ((n + 1) - r.tie_term / (n * (n - 1))));
    if (!(s > 0)) {
      res.p_value = 1;  // every value tied: no evidence of any difference
    } else {
      const double z = (u - n1 * n2 / 2 - 0.5) / s;
      res.p_value = 2 * boost::math::cdf(boost::math::complement(boost::math::normal(), z));
    }
  }
  res.p_value = std::clamp(res.p_value, 0.0, 1.0);
  return res;
}

}  // namespace rcbench::stats
