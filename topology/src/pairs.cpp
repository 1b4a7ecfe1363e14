// All pairs of allowed PUs for the core-to-core matrix, optionally a seeded sample.
#include <algorithm>
#include <random>

#include "impl.hpp"

namespace rcbench::topo {

std::vector<PuPair> Topology::all_pairs(std::optional<std::size_t> sample,
                                        std::uint64_t seed) const {
  std::vector<const PuRecord*> pus;  // ascending OS index, as in allowed_
  pus.reserve(allowed_.size());
  for (unsigned pu : allowed_) pus.push_back(&impl_->at(pu));
  const std::size_t n = pus.size();
  const std::size_t total = n < 2 ? 0 : n * (n - 1) / 2;
  const std::size_t wanted = sample ? std::min(*sample, total) : total;

  std::vector<PuPair> pairs;
  pairs.reserve(wanted);
  // Knuth's Algorithm S (TAOCP vol. 2, 3.4.2): visit the pairs in order and keep each with
  // probability (still wanted) / (still left), which yields exactly `wanted` pairs, each
  // subset equally likely, in lexicographic order. The engine's raw output is used (not
  // std::uniform_int_distribution, whose algorithm differs between standard libraries), so
  // a seed names the same pairs everywhere; the modulo bias is below total / 2^64.
  std::mt19937_64 engine(seed);
  std::size_t left = total;
  for (std::size_t i = 0; i < n && pairs.size() < wanted; ++i) {
    for (std::size_t j = i + 1; j < n && pairs.size() < wanted; ++j, --left) {
      const bool keep = wanted == total || engine() % left < wanted - pairs.size();
      if (keep) {
        pairs.push_back({pus[i]->os_index, pus[j]->os_index, classify_records(*pus[i], *pus[j])});
      }
    }
  }
  return pairs;
}

std::vector<unsigned> Topology::allowed_in_logical_order() const {
  std::vector<unsigned> order;
  order.reserve(allowed_.size());
  for (const PuRecord& pu : impl_->pus)  // impl_->pus is in hwloc logical order
    if (allowed_.contains(pu.os_index)) order.push_back(pu.os_index);
  return order;
}

}  // namespace rcbench::topo
