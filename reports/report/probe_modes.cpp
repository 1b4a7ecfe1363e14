#include "report/probe_modes.hpp"

#include "report/figures.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <limits>

namespace rcbench::report::detail {
namespace {

struct Series {
  std::string run_name;
  int threads = 1;
  std::vector<double> before, after;  // NaN where a repetition has no probe
};

struct Group {
  std::string placement;
  std::vector<int> pus;
  std::vector<Series> series;
};

double counter_or_nan(const runjson::Repetition& rep, const char* key) {
  const auto it = rep.counters.find(key);
  return it == rep.counters.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

}  // namespace

ProbeModes assign_probe_modes(const runjson::Run& run) {
  std::map<std::string, Group> groups;
  for (const runjson::Benchmark& b : run.benchmarks) {
    if (b.name.kind != "refcount") continue;
    Series s{b.run_name, b.name.threads, {}, {}};
    bool any = false;
    for (const runjson::Repetition& rep : b.reps) {
      s.before.push_back(counter_or_nan(rep, "probe_before_ns"));
      s.after.push_back(counter_or_nan(rep, "probe_after_ns"));
      any = any || rep.has("probe_before_ns") || rep.has("probe_after_ns");
    }
    if (!any) continue;
    const std::vector<int> pus = meta_pus(b.meta);
    // Without the run's metadata the PUs are unknown; the placement and thread count
    // are then the best stand-in for "same PUs".
    const std::string key = pus.empty()
                                ? fmt::format("{}|threads:{}", b.name.placement, b.name.threads)
                                : fmt::format("{}|pus:{}", b.name.placement, pu_list(pus));
    Group& g = groups[key];
    g.placement = b.name.placement;
    g.pus = pus;
    g.series.push_back(std::move(s));
  }

  ProbeModes out;
  for (auto& [key, g] : groups) {
    std::vector<stats::ProbeSeries> spans;
    for (const Series& s : g.series) spans.push_back({s.before, s.after});
    const stats::PooledModeTags pooled = stats::tag_modes_pooled(spans);

    ModeGroup seen;
    seen.placement = g.placement;
    seen.pus = g.pus;
    int max_threads = 1;
    for (std::size_t i = 0; i < g.series.size(); ++i) {
      const stats::ModeTags& t = pooled.series[i];
      out.tags[g.series[i].run_name] = t;
      out.group_of[g.series[i].run_name] = key;
      if (g.series[i].threads < 2) continue;
      max_threads = std::max(max_threads, g.series[i].threads);
      ++seen.benchmarks;
      seen.reps += t.mode_of_rep.size();
      seen.unstable_reps += static_cast<std::size_t>(std::count(t.mode_of_rep.begin(), t.mode_of_rep.end(), stats::kUnstable));
      seen.unprobed_reps += static_cast<std::size_t>(std::count(t.mode_of_rep.begin(), t.mode_of_rep.end(), stats::kUnprobed));
      for (const stats::Mode& m : t.modes) {
        auto it = std::find_if(seen.modes.begin(), seen.modes.end(), [&](const ModeGroup::Seen& s) { return s.id == m.id; });
        if (it == seen.modes.end()) it = seen.modes.insert(seen.modes.end(), {m.id, m.center_ns, m.lo_ns, m.hi_ns, 0});
        it->reps += m.reps;
      }
    }
    // modes_seen counts multi-thread rows only: their figures are made of the line
    // transfers the probe measures, so the mode is a condition of the figure itself.
    if (max_threads > 1) out.multi_thread_groups.push_back(std::move(seen));
  }
  return out;
}

}  // namespace rcbench::report::detail
