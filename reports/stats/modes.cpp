#include "modes.hpp"

#include "descriptive.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace rcbench::stats {
namespace {

bool is_probe(double ns) { return std::isfinite(ns) && ns > 0.0; }

// Sorted probe values cut at every gap of at least min_gap_ratio.
std::vector<Mode> cluster(std::vector<double> values, double min_gap_ratio) {
  std::vector<Mode> modes;
  if (values.empty()) return modes;
  std::sort(values.begin(), values.end());
  std::size_t start = 0;
  for (std::size_t i = 1; i <= values.size(); ++i) {
    if (i < values.size() && values[i] < values[i - 1] * min_gap_ratio) continue;
    const std::span<const double> members(values.data() + start, i - start);
    Mode m;
    m.id = static_cast<int>(modes.size());
    m.center_ns = quantile(members, 0.5);
    m.lo_ns = members.front();
    m.hi_ns = members.back();
    modes.push_back(m);
    start = i;
  }
  return modes;
}

// Every probe value taken part in the clustering lies inside exactly one [lo, hi].
int mode_containing(const std::vector<Mode>& modes, double ns) {
  const auto it = std::lower_bound(modes.begin(), modes.end(), ns,
                                   [](const Mode& m, double v) { return m.hi_ns < v; });
  if (it == modes.end() || ns < it->lo_ns) return kUnprobed;
  return it->id;
}

void check(const ProbeSeries& s) {
  if (s.before_ns.size() != s.after_ns.size())
    throw std::invalid_argument("tag_modes: before and after probe series differ in length (" +
                                std::to_string(s.before_ns.size()) + " vs " +
                                std::to_string(s.after_ns.size()) + ")");
}

ModeTags tag_series(const ProbeSeries& s, const std::vector<Mode>& modes) {
  ModeTags tags;
  tags.modes = modes;
  for (Mode& m : tags.modes) m.reps = m.probes = 0;
  tags.mode_of_rep.reserve(s.before_ns.size());
  for (std::size_t i = 0; i < s.before_ns.size(); ++i) {
    const double before = s.before_ns[i];
    const double after = s.after_ns[i];
    if (!is_probe(before) || !is_probe(after)) {
      // A single valid probe still counts toward its mode's probe total.
      for (double v : {before, after})
        if (is_probe(v)) ++tags.modes[static_cast<std::size_t>(mode_containing(modes, v))].probes;
      tags.mode_of_rep.push_back(kUnprobed);
      continue;
    }
    const int mb = mode_containing(modes, before);
    const int ma = mode_containing(modes, after);
    ++tags.modes[static_cast<std::size_t>(mb)].probes;
    ++tags.modes[static_cast<std::size_t>(ma)].probes;
    if (mb != ma) {
      tags.mode_of_rep.push_back(kUnstable);
      continue;
    }
    ++tags.modes[static_cast<std::size_t>(mb)].reps;
    tags.mode_of_rep.push_back(mb);
  }
  std::size_t best = 0;
  for (const Mode& m : tags.modes) {
    if (m.reps > best) {  // strict: on a tie the faster (lower id) mode stays
      best = m.reps;
      tags.dominant = m.id;
    }
  }
  return tags;
}

}  // namespace

PooledModeTags tag_modes_pooled(std::span<const ProbeSeries> series, const ModeOptions& options) {
  if (!(options.min_gap_ratio > 1.0))
    throw std::invalid_argument("ModeOptions::min_gap_ratio must be > 1");
  std::vector<double> all;
  for (const ProbeSeries& s : series) {
    check(s);
    for (double v : s.before_ns)
      if (is_probe(v)) all.push_back(v);
    for (double v : s.after_ns)
      if (is_probe(v)) all.push_back(v);
  }
  PooledModeTags pooled;
  pooled.modes = cluster(std::move(all), options.min_gap_ratio);
  pooled.series.reserve(series.size());
  for (const ProbeSeries& s : series) pooled.series.push_back(tag_series(s, pooled.modes));
  for (const ModeTags& t : pooled.series) {
    for (std::size_t m = 0; m < pooled.modes.size(); ++m) {
      pooled.modes[m].reps += t.modes[m].reps;
      pooled.modes[m].probes += t.modes[m].probes;
    }
  }
  return pooled;
}

ModeTags tag_modes(std::span<const double> before_ns, std::span<const double> after_ns,
                   const ModeOptions& options) {
  const ProbeSeries one{before_ns, after_ns};
  return std::move(tag_modes_pooled(std::span<const ProbeSeries>(&one, 1), options).series.front());
}

std::string describe_mode(const Mode& mode) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.0f ns [%.0f-%.0f]", mode.center_ns, mode.lo_ns, mode.hi_ns);
  return buf;
}

}  // namespace rcbench::stats
