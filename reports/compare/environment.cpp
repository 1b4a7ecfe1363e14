#include "compare/environment.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace rcbench::compare {
namespace {

using nlohmann::json;

std::optional<double> number_at(const json& obj, const char* key) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_number()) return obj[key].get<double>();
  return std::nullopt;
}

// PUs the machine's /proc/stat sums over (for steal) and the load average spreads over.
int pus_of(const runjson::Run& run) {
  const json& rc = run.rcbench;
  if (rc.is_object() && rc.contains("machine") && rc["machine"].is_object()) {
    const json& m = rc["machine"];
    if (m.contains("topology") && m["topology"].is_object())
      if (auto p = number_at(m["topology"], "pus"); p && *p >= 1) return static_cast<int>(*p);
  }
  if (auto n = number_at(run.context, "num_cpus"); n && *n >= 1) return static_cast<int>(*n);
  return 0;
}

// A value at the start or the end of the run. Two spellings are read: nested
// {"start": {"steal_ticks": ..}, "end": {..}} (what `rcbench run` writes) and flat
// "steal_ticks_start"/"steal_ticks_end" (docs/run-format.md's first sketch).
std::optional<double> at(const json& env, const char* key, bool end) {
  if (auto nested = number_at(env.is_object() ? env.value(end ? "end" : "start", json(nullptr)) : json(nullptr), key))
    return nested;
  return number_at(env, (std::string(key) + (end ? "_end" : "_start")).c_str());
}

}  // namespace

EnvironmentCheck check_environment(const runjson::Run& run, const EnvironmentLimits& limits) {
  EnvironmentCheck c;
  c.pus = pus_of(run);
  const json env = run.rcbench.is_object() ? run.rcbench.value("environment", json(nullptr)) : json(nullptr);

  // Steal: /proc/stat counts ticks of every state; the share of steal among all ticks
  // is the share of the run during which the host gave our vCPUs to someone else.
  const auto steal0 = at(env, "steal_ticks", false), steal1 = at(env, "steal_ticks", true);
  const auto total0 = at(env, "total_ticks", false), total1 = at(env, "total_ticks", true);
  if (steal0 && steal1 && total0 && total1 && *total1 > *total0) {
    c.steal_fraction = std::max(0.0, *steal1 - *steal0) / (*total1 - *total0);
    if (*c.steal_fraction > limits.max_steal_fraction) {
      c.disturbed = true;
      c.notes.push_back(fmt::format("steal time {:.1f}% of CPU time > limit {:.1f}%",
                                    100 * *c.steal_fraction, 100 * limits.max_steal_fraction));
    }
  } else {
    c.notes.push_back("steal time not recorded (rcbench.environment start/end steal_ticks, total_ticks)");
  }

  const auto load0 = at(env, "loadavg_1m", false), load1 = at(env, "loadavg_1m", true);
  if (load0 || load1) {
    c.loadavg_1m_max = std::max(load0.value_or(0.0), load1.value_or(0.0));
    if (c.pus > 0 && *c.loadavg_1m_max > limits.max_loadavg_per_pu * c.pus) {
      c.disturbed = true;
      c.notes.push_back(fmt::format("1-minute load average {:.2f} > limit {:.2f} ({} per PU x {} PUs)",
                                    *c.loadavg_1m_max, limits.max_loadavg_per_pu * c.pus,
                                    limits.max_loadavg_per_pu, c.pus));
    }
  } else {
    c.notes.push_back("load average not recorded (rcbench.environment start/end loadavg_1m)");
  }

  for (const runjson::Benchmark& b : run.benchmarks) {
    for (const runjson::Repetition& r : b.reps) {
      ++c.reps;
      if (auto it = r.counters.find("migrations"); it != r.counters.end() && it->second > 0) ++c.migrated_reps;
    }
  }
  if (c.reps > 0) {
    const double frac = static_cast<double>(c.migrated_reps) / static_cast<double>(c.reps);
    if (frac > limits.max_migrated_rep_fraction) {
      c.disturbed = true;
      c.notes.push_back(fmt::format("{} of {} repetitions had a pinned thread migrate ({:.0f}% > limit {:.0f}%)",
                                    c.migrated_reps, c.reps, 100 * frac,
                                    100 * limits.max_migrated_rep_fraction));
    }
  }
  return c;
}

}  // namespace rcbench::compare
