// `rcbench matrix`: which PU pairs the core-to-core matrix measures, and what that costs.
// Every allowed pair (n(n-1)/2) by default; `--sample K --seed S` takes K pairs from each
// placement class (all of a class with fewer), so a 384-PU machine's rare classes (SMT:
// 192 pairs of 73,536) are as well covered as the common one (machine). A budget too
// small for the plan keeps the same per-class balance: the largest K that fits.
#pragma once

#include "rcbench/topology/topology.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace rcbench::harness {

// How many pairs of each class a selection had and kept (classes with none are absent).
struct ClassCount {
  std::size_t available = 0;  // in the input
  std::size_t kept = 0;
};
using ClassCounts = std::map<topo::PlacementClass, ClassCount>;  // nearest class first

// min(per_class, pairs of that class) pairs of every class, chosen by selection sampling
// (Knuth's Algorithm S) on std::mt19937_64(seed)'s raw output, class by class, nearest
// first: the same pairs and seed give the same sample everywhere. The result keeps the
// input's order. per_class 0 keeps nothing.
std::vector<topo::PuPair> sample_per_class(const std::vector<topo::PuPair>& pairs, std::size_t per_class,
                                           std::uint64_t seed);

ClassCounts count_classes(const std::vector<topo::PuPair>& before, const std::vector<topo::PuPair>& after);

// Seconds one pair is expected to take with `methods` methods of `batches` batches of
// kRoundTripsPerBatch round trips (matrix_pairs.cpp says where the constants come from).
inline constexpr unsigned kRoundTripsPerBatch = 100;  // as the calibration rows' batches
double estimate_pair_seconds(unsigned methods, unsigned batches);

struct MatrixBudgetTrim {
  std::vector<topo::PuPair> kept;        // input order
  double budget_s = 0;
  double estimate_before_s = 0;
  double estimate_after_s = 0;
  std::optional<std::size_t> per_class;  // set when trimmed: the K that fitted
  ClassCounts classes;
  bool trimmed() const { return kept.size() < pairs_before; }
  std::size_t pairs_before = 0;
};

// Keeps `pairs` whole when pairs.size() * pair_s fits `budget_s`; else the largest
// per-class sample (sample_per_class, `seed`) that fits, so every class stays measured.
// Throws std::invalid_argument ("--budget ...: too small ...") when even one pair per
// class does not fit.
MatrixBudgetTrim trim_pairs_to_budget(const std::vector<topo::PuPair>& pairs, double pair_s, double budget_s,
                                      std::uint64_t seed);

}  // namespace rcbench::harness
