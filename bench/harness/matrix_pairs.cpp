#include "matrix_pairs.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <random>
#include <stdexcept>

namespace rcbench::harness {

std::vector<topo::PuPair> sample_per_class(const std::vector<topo::PuPair>& pairs, std::size_t per_class,
                                           std::uint64_t seed) {
  std::map<topo::PlacementClass, std::vector<std::size_t>> by_class;  // indices into pairs
  for (std::size_t i = 0; i < pairs.size(); ++i) by_class[pairs[i].cls].push_back(i);
  // Algorithm S, as Topology::all_pairs: keep each with probability (still wanted) /
  // (still left); raw engine output, not a distribution, so every library agrees.
  std::mt19937_64 engine(seed);
  std::vector<std::size_t> keep;
  for (const auto& [cls, indices] : by_class) {
    const std::size_t wanted = std::min(per_class, indices.size());
    std::size_t taken = 0, left = indices.size();
    for (std::size_t idx : indices) {
      if (taken == wanted) break;
      if (wanted == indices.size() || engine() % left < wanted - taken) {
        keep.push_back(idx);
        ++taken;
      }
      --left;
    }
  }
  std::sort(keep.begin(), keep.end());
  std::vector<topo::PuPair> out;
  out.reserve(keep.size());
  for (std::size_t i : keep) out.push_back(pairs[i]);
  return out;
}

ClassCounts count_classes(const std::vector<topo::PuPair>& before, const std::vector<topo::PuPair>& after) {
  ClassCounts counts;
  for (const auto& p : before) ++counts[p.cls].available;
  for (const auto& p : after) ++counts[p.cls].kept;
  return counts;
}

// Where the constants come from (docs/matrix.md, "Cost"): a pair costs its two threads'
// start, pin and check, then methods x batches x round trips x 2 one-way latencies. On the
// 2-vCPU development VM (2026-11-30) the start was 0.22-0.24 ms (--batches 1), and 50
// batches of both methods took 1.0-1.1 ms at 52 ns (two_line) + 24 ns (one_line_cas) one
// way; in the host's cross-CCD mode (250 + 120 ns, PITFALLS.md) under a load average of 10
// the same pair took 11-23 ms. The one-way latency below is an assumption, not a
// measurement: 200 ns for each method, so the estimate errs long wherever the true figures
// are lower; the run stops at the budget whatever the estimate said (measure_pairs).
namespace {
constexpr double kPairSetupS = 0.25e-3;
constexpr double kAssumedOneWayS = 200e-9;
}  // namespace

double estimate_pair_seconds(unsigned methods, unsigned batches) {
  return kPairSetupS + methods * double(batches) * kRoundTripsPerBatch * 2 * kAssumedOneWayS;
}

MatrixBudgetTrim trim_pairs_to_budget(const std::vector<topo::PuPair>& pairs, double pair_s, double budget_s,
                                      std::uint64_t seed) {
  MatrixBudgetTrim t;
  t.budget_s = budget_s;
  t.pairs_before = pairs.size();
  t.estimate_before_s = pair_s * double(pairs.size());
  if (t.estimate_before_s <= budget_s) {
    t.kept = pairs;
  } else {
    const auto capacity = static_cast<std::size_t>(budget_s / pair_s);
    ClassCounts counts = count_classes(pairs, {});
    if (capacity < counts.size())
      throw std::invalid_argument(fmt::format(
          "--budget {:g} s: too small: one pair of each of the {} placement classes needs about {:.3g} s "
          "({:.3g} s a pair)",
          budget_s, counts.size(), pair_s * double(counts.size()), pair_s));
    // The largest K with sum over classes of min(K, class size) <= capacity.
    auto fits = [&](std::size_t k) {
      std::size_t total = 0;
      for (const auto& [cls, c] : counts) total += std::min(k, c.available);
      return total <= capacity;
    };
    std::size_t lo = 1, hi = pairs.size();  // fits(lo) holds; find the last k that fits
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo + 1) / 2;
      if (fits(mid)) lo = mid; else hi = mid - 1;
    }
    t.per_class = lo;
    t.kept = sample_per_class(pairs, lo, seed);
  }
  t.estimate_after_s = pair_s * double(t.kept.size());
  t.classes = count_classes(pairs, t.kept);
  return t;
}

}  // namespace rcbench::harness
