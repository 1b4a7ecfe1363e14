#include "selection.hpp"

#include "rcbench/topology/topology.hpp"
#include "strategy_dispatch.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <stdexcept>
#include <unordered_map>

namespace rcbench::harness {
namespace {

bool contains(const auto& range, const auto& value) {
  return std::find(range.begin(), range.end(), value) != range.end();
}

std::string label(const WorkloadChoice& w) {
  std::string out(to_string(w.workload));
  if (w.workload == Workload::false_sharing || w.workload == Workload::mixed)
    out += ":" + std::to_string(w.param);
  return out;
}

bool same_workload(const BenchSpec& s, const WorkloadChoice& w) {
  return s.workload == w.workload && s.param == w.param;
}

// The strategies whose rows reading a subset needs besides the selected ones: the two
// GIL baselines and `plain`, whose single-thread row is compare's normaliser of the
// GIL rows and report's single-thread reference.
const std::vector<std::string_view>& support_strategies() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v = {counters::GilCpython::name, counters::GilLock::name, counters::Plain::name};
    if constexpr (counters::kRealInterpreterRows) v.push_back(counters::kRealEvalName);
    return v;
  }();
  return names;
}

bool is_reference_row(const BenchSpec& s) {
  return s.kind == BenchKind::refcount && s.strategy == counters::Plain::name &&
         s.workload == Workload::private_objects && s.threads() == 1;
}

}  // namespace

struct NameFilter::Impl {
  bool negate = false;
  std::optional<std::regex> re;  // nullopt: everything matches
};

NameFilter::NameFilter(const std::string& spec) {
  auto impl = std::make_shared<Impl>();
  std::string pattern = spec;
  if (!pattern.empty() && pattern.front() == '-') {
    impl->negate = true;
    pattern.erase(0, 1);
  }
  if (!pattern.empty() && pattern != "all") {
    try {
      // Google Benchmark 1.7.1 on Debian compiles the filter with POSIX regcomp
      // (REG_EXTENDED): the same dialect here, so both pick the same rows.
      impl->re.emplace(pattern, std::regex::extended | std::regex::nosubs);
    } catch (const std::regex_error& e) {
      throw std::invalid_argument("bad filter regex '" + spec + "': " + e.what());
    }
  }
  impl_ = std::move(impl);
}

bool NameFilter::matches(const std::string& name) const {
  const bool hit = !impl_->re || std::regex_search(name, *impl_->re);
  return hit != impl_->negate;
}

std::size_t SelectedPlan::count(Role r) const {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [r](const PlannedBenchmark& pb) { return pb.role == r; }));
}

std::vector<std::string> rows_needed_to_read(const PlannedBenchmark& pb) {
  const BenchSpec& s = pb.spec;
  if (s.kind != BenchKind::refcount) return {};
  // report needs a gil_cpython row beside every refcount row (gil_lock rows
  // included), reads the gil_lock and real interpreter rows where the plan names
  // them, and corrects a row by the null (overhead) row of its placement where the
  // profile has one.
  std::vector<std::string> names;
  const std::string cpython =
      is_gil_strategy(s.strategy) ? s.run_name_with_strategy(counters::GilCpython::name) : pb.baseline;
  if (!cpython.empty()) names.push_back(cpython);
  if (!pb.baseline_lock.empty()) names.push_back(pb.baseline_lock);
  if (!pb.baseline_real.empty()) names.push_back(pb.baseline_real);
  BenchSpec null = s;
  null.kind = BenchKind::overhead;
  names.push_back(null.run_name());
  return names;
}

SelectedPlan select_plan(const Profile& profile, const topo::Topology& topo, const Selection& sel) {
  const PlanOverrides& o = sel.overrides;
  const NameFilter filter(sel.filter);
  const std::vector<std::string> strategies = o.strategies.empty() ? profile.strategies : o.strategies;

  // Plan everything the selection might need, then keep what it does need.
  PlanOverrides universe_overrides = o;
  if (sel.add_baselines) {
    universe_overrides.strategies = strategies;
    for (auto s : support_strategies())
      if (!contains(strategies, s)) universe_overrides.strategies.emplace_back(s);
    auto& counts = universe_overrides.thread_counts;
    if (!counts.empty() && !contains(counts, 1u)) counts.insert(counts.begin(), 1u);
  }
  const std::vector<PlannedBenchmark> universe = make_plan(profile, topo, universe_overrides);

  // One thread runs `private` for every workload (plan.cpp). `--workloads shared`
  // means shared: its single-thread rows are selected only when asked for
  // (private among the workloads, or 1 among the thread counts).
  const bool single_rows_wanted =
      o.workloads.empty() || contains(o.thread_counts, 1u) ||
      std::any_of(o.workloads.begin(), o.workloads.end(), [](const std::string& w) {
        return parse_workload_choice(w).workload == Workload::private_objects;
      });
  auto is_selected = [&](const BenchSpec& s) {
    if (!filter.matches(s.run_name())) return false;
    const auto n = static_cast<unsigned>(s.threads());
    if (!o.thread_counts.empty() && !contains(o.thread_counts, n)) return false;
    if (s.kind != BenchKind::refcount) return true;  // calibration of the planned placements
    if (!contains(strategies, s.strategy)) return false;
    return n > 1 || single_rows_wanted;
  };

  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < universe.size(); ++i) index.emplace(universe[i].spec.run_name(), i);
  std::vector<std::optional<Role>> role(universe.size());
  for (std::size_t i = 0; i < universe.size(); ++i)
    if (is_selected(universe[i].spec)) role[i] = Role::selected;

  if (sel.add_baselines) {
    auto need = [&](const std::string& name, Role why) {
      const auto it = index.find(name);
      if (it != index.end() && !role[it->second]) role[it->second] = why;
    };
    auto need_baselines_of = [&](const PlannedBenchmark& pb) {
      for (const auto& name : rows_needed_to_read(pb)) need(name, Role::baseline);
    };
    bool any_refcount = false;
    for (std::size_t i = 0; i < universe.size(); ++i) {
      if (role[i] != Role::selected || universe[i].spec.kind != BenchKind::refcount) continue;
      any_refcount = true;
      need_baselines_of(universe[i]);
    }
    const auto ref = std::find_if(universe.begin(), universe.end(),
                                  [](const PlannedBenchmark& pb) { return is_reference_row(pb.spec); });
    if (any_refcount && ref != universe.end()) {
      need(ref->spec.run_name(), Role::reference);
      need_baselines_of(*ref);
    }
  }

  SelectedPlan out;
  for (std::size_t i = 0; i < universe.size(); ++i) {
    if (!role[i]) continue;
    out.rows.push_back(universe[i]);
    out.rows.back().role = *role[i];
  }
  // Name a baseline only when it runs: report refuses a run whose metadata names an
  // absent row (with --no-baselines, rows go without).
  auto in_plan = [&](const std::string& name) {
    const auto it = index.find(name);
    return it != index.end() && role[it->second].has_value();
  };
  for (auto& pb : out.rows) {
    if (!in_plan(pb.baseline)) pb.baseline.clear();
    if (!in_plan(pb.baseline_lock)) pb.baseline_lock.clear();
    if (!in_plan(pb.baseline_real)) pb.baseline_real.clear();
  }

  // A multi-thread workload that no row runs is named, not dropped silently.
  std::vector<WorkloadChoice> workloads = profile.workloads;
  if (!o.workloads.empty()) {
    workloads.clear();
    for (const auto& w : o.workloads) workloads.push_back(parse_workload_choice(w));
  }
  const std::size_t allowed = topo.allowed_pus().size();
  std::string missing;
  for (const auto& w : workloads) {
    const bool runs = std::any_of(out.rows.begin(), out.rows.end(), [&](const PlannedBenchmark& pb) {
      return pb.spec.kind == BenchKind::refcount && pb.spec.threads() > 1 && same_workload(pb.spec, w);
    });
    if (!runs) missing += (missing.empty() ? "" : ", ") + label(w);
  }
  if (!missing.empty() && profile.multi_thread) {
    if (allowed < 2)
      out.warnings.push_back("only " + std::to_string(allowed) + " PU is allowed (" + topo.allowed_pus().to_string() +
                             "): workloads that need 2 or more threads are not run: " + missing);
    else if (!o.workloads.empty() && sel.filter.empty())
      out.warnings.push_back("no thread count above 1 is planned (--threads): workloads not run: " + missing);
  }
  return out;
}

}  // namespace rcbench::harness
