#include "plan.hpp"

#include "rcbench/topology/topology.hpp"
#include "strategy_dispatch.hpp"

#include "workloads/dispatch.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>

namespace rcbench::harness {
namespace {

std::uint32_t parse_number(std::string_view text, std::string_view what) {
  std::uint32_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size())
    throw std::invalid_argument("bad " + std::string(what) + " '" + std::string(text) + "'");
  return v;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

BenchSpec base_spec(const std::string& strategy, const PlanOverrides& o) {
  BenchSpec s;
  s.strategy = strategy;
  const auto [base, flush] = split_strategy_name(strategy);
  if (base == "deferred") s.domain.flush_threshold = flush;
  s.domain.switch_interval_us = o.switch_interval_us;
  return s;
}

// Strategies whose objects have an owner thread get a `foreign` row beside their
// one-thread `private` one: the non-owner path alone.
bool has_owners(std::string_view strategy) {
  bool owners = false;
  with_strategy(split_strategy_name(strategy).first, [&]<class S>() {
    owners = requires(const typename S::Object& o) { o.owner_relaxed(); };
  });
  return owners;
}

struct Placement {
  std::string name;            // "single", "l3", "compact", ...
  std::vector<unsigned> pus;
};

std::vector<unsigned> default_thread_counts(const Profile& p, unsigned allowed) {
  std::vector<unsigned> counts{1};
  if (!p.multi_thread || allowed < 2) return counts;
  counts.push_back(2);
  if (!p.all_thread_counts) return counts;
  for (unsigned n = 4; n <= allowed; n *= 2) counts.push_back(n);
  if (counts.back() != allowed) counts.push_back(allowed);
  return counts;
}

// The object placements a row runs with: for the shared object of two threads on
// different NUMA nodes, its page on either thread's node (local: thread 0's, remote:
// thread 1's), the one variable a lab machine adds to that row; everywhere else the
// object is where its maker touched it first, as today. A PU local to several nodes (or
// none) has no one node to ask for: such pairs keep the unplaced row.
struct MemoryChoice {
  ObjectMemory memory;
  unsigned node;
};
std::vector<MemoryChoice> memory_choices(const topo::Topology& topo, Workload w,
                                         const std::vector<unsigned>& pus) {
  if (w != Workload::shared || pus.size() != 2) return {{ObjectMemory::unplaced, 0}};
  const auto first = topo.numa_node_of_pu(pus[0]);
  const auto second = topo.numa_node_of_pu(pus[1]);
  if (!first || !second || *first == *second) return {{ObjectMemory::unplaced, 0}};
  return {{ObjectMemory::local, *first}, {ObjectMemory::remote, *second}};
}

}  // namespace

std::string_view to_string(Role r) {
  switch (r) {
    case Role::selected: return "selected";
    case Role::baseline: return "baseline";
    case Role::reference: return "reference";
  }
  return "unknown";
}

bool is_gil_strategy(std::string_view name) {
  return name == counters::GilCpython::name || name == counters::GilLock::name;
}

double gil_window_s(unsigned threads, std::uint32_t switch_interval_us, double min_time_s) {
  if (threads < 2) return min_time_s;
  const double turns = static_cast<double>(threads) * static_cast<double>(switch_interval_us) * 1e-6 *
                       kGilTurnsPerThread;
  return std::max(min_time_s, turns);
}

bool holds_gil_across_blocks(std::string_view strategy) {
  bool holds = false;
  with_strategy(split_strategy_name(strategy).first,
                [&]<class S>() { holds = counters::holds_gil_across_blocks_v<S>; });
  return holds;
}

double row_window_s(const BenchSpec& s, double min_time_s) {
  if (s.kind != BenchKind::refcount || !holds_gil_across_blocks(s.strategy)) return min_time_s;
  const double rule = gil_window_s(static_cast<unsigned>(s.threads()), s.domain.switch_interval_us, min_time_s);
  if (s.gil_window_cap_s <= 0) return rule;
  return std::max(min_time_s, std::min(rule, s.gil_window_cap_s));
}

std::pair<std::string, std::uint32_t> split_strategy_name(std::string_view name) {
  constexpr std::string_view kDeferred = "deferred_";
  if (name.starts_with(kDeferred)) {
    const auto flush = parse_number(name.substr(kDeferred.size()), "deferred flush threshold");
    if (flush == 0) throw std::invalid_argument("deferred flush threshold must be at least 1");
    return {"deferred", flush};
  }
  if (name == "deferred")
    throw std::invalid_argument("deferred needs its flush threshold: deferred_<N>, e.g. deferred_64");
  if (!strategy_exists(name))
    throw std::invalid_argument("unknown strategy '" + std::string(name) +
                                "' (known: " + join(known_strategy_names()) + ", deferred_<N>)");
  return {std::string(name), 0};
}

WorkloadChoice parse_workload_choice(std::string_view text) {
  const auto colon = text.find(':');
  const auto name = text.substr(0, colon);
  const auto w = parse_workload(name);
  if (!w)
    throw std::invalid_argument("unknown workload '" + std::string(name) +
                                "' (known: private, shared, false_sharing:<pad>, handoff, "
                                "mixed:<percent>)");
  WorkloadChoice c{*w};
  const bool takes_param = *w == Workload::false_sharing || *w == Workload::mixed;
  if (colon == std::string_view::npos) {
    if (takes_param)
      throw std::invalid_argument(std::string(name) + " needs a parameter: " +
                                  (*w == Workload::mixed ? "mixed:<percent>" : "false_sharing:<pad bytes>"));
    return c;
  }
  if (!takes_param) throw std::invalid_argument(std::string(name) + " takes no parameter");
  c.param = parse_number(text.substr(colon + 1), "workload parameter");
  if (*w == Workload::mixed && (c.param == 0 || c.param > 100))
    throw std::invalid_argument("mixed:<percent> needs 1..100");
  if (*w == Workload::false_sharing && (c.param == 0 || c.param > 4096))
    throw std::invalid_argument("false_sharing:<pad> needs 1..4096 bytes");
  return c;
}

std::vector<PlannedBenchmark> make_plan(const Profile& profile, const topo::Topology& topo,
                                        const PlanOverrides& o) {
  const std::vector<std::string> strategies = o.strategies.empty() ? profile.strategies : o.strategies;
  for (const auto& s : strategies) split_strategy_name(s);  // validates
  std::vector<WorkloadChoice> workloads = profile.workloads;
  if (!o.workloads.empty()) {
    workloads.clear();
    for (const auto& w : o.workloads) workloads.push_back(parse_workload_choice(w));
  }

  const auto& allowed = topo.allowed_pus().pus();
  if (allowed.empty()) throw std::runtime_error("no PU is allowed for this process");
  const auto pairs = topo.representative_pairs(false);
  const unsigned n_allowed = static_cast<unsigned>(allowed.size());
  const std::vector<unsigned> counts =
      o.thread_counts.empty() ? default_thread_counts(profile, n_allowed) : o.thread_counts;

  // Placements per thread count. One thread: the first PU of the nearest pair, so a
  // helper on the pair's other PU can run the coherence probe.
  std::vector<std::pair<unsigned, Placement>> placements;
  for (unsigned n : counts) {
    if (n == 0) throw std::invalid_argument("thread count must be at least 1");
    if (n > n_allowed)
      throw std::invalid_argument(std::to_string(n) + " threads: only " + std::to_string(n_allowed) +
                                  " PUs are allowed (" + topo.allowed_pus().to_string() + ")");
    if (n == 1) {
      placements.push_back({1, {"single", {pairs.empty() ? allowed.front() : pairs.front().a}}});
    } else if (n == 2) {
      for (const auto& pr : pairs) placements.push_back({2, {std::string(topo::to_string(pr.cls)), {pr.a, pr.b}}});
    } else {
      std::set<std::vector<unsigned>> seen;
      for (auto policy : {topo::Policy::compact, topo::Policy::scatter}) {
        auto pus = topo.plan({.threads = n, .policy = policy}).pus();
        if (!seen.insert(pus).second) continue;  // same PUs as compact: one row is enough
        placements.push_back({n, {policy == topo::Policy::compact ? "compact" : "scatter", pus}});
      }
    }
  }

  std::vector<PlannedBenchmark> plan;
  auto add = [&](BenchSpec spec) {
    const topo::CpuList list(spec.pus);
    spec.placement_class = spec.pus.size() == 1 ? "same_pu"
                                                : std::string(topo::to_string(topo.nearest_common_class(list)));
    if (spec.pus.size() == 1 && !pairs.empty()) {
      spec.has_probe_partner = true;
      spec.probe_partner_pu = pairs.front().b;
    }
    PlannedBenchmark pb{spec, {}, {}, {}};
    // A GIL'd plain object has no owner: a foreign row's baselines are the private ones.
    BenchSpec base = spec;
    if (base.workload == Workload::foreign) base.workload = Workload::private_objects;
    if (spec.kind == BenchKind::refcount && !is_gil_strategy(spec.strategy)) {
      pb.baseline = base.run_name_with_strategy(counters::GilCpython::name);
      pb.baseline_lock = base.run_name_with_strategy(counters::GilLock::name);
    }
    if constexpr (counters::kRealInterpreterRows) {
      // Every row, the GIL models included, beside the real interpreter's.
      if (spec.kind == BenchKind::refcount && spec.strategy != counters::kRealEvalName)
        pb.baseline_real = base.run_name_with_strategy(counters::kRealEvalName);
    }
    plan.push_back(std::move(pb));
  };

  if (profile.calibration) {
    for (const auto& [n, pl] : placements) {
      // The null strategy through the identical block, at every placement: what a
      // row costs beyond its ops, subtracted by the report (same threads, placement).
      BenchSpec s;
      s.kind = BenchKind::overhead;
      s.strategy = "null";
      s.placement = pl.name;
      s.pus = pl.pus;
      s.ops_per_iteration = workloads::ops_per_block(Workload::private_objects);
      s.domain.max_threads = n;
      add(s);
      if (n != 2) continue;
      for (auto method : {PingPongMethod::two_line, PingPongMethod::one_line_cas}) {
        BenchSpec p;
        p.kind = BenchKind::pingpong;
        p.method = method;
        p.placement = pl.name;
        p.pus = pl.pus;
        add(p);
      }
    }
  }
  if (profile.pingpong_matrix && n_allowed >= 2) {
    // The core-to-core matrix, sampled so a 256-PU machine is not 32,640 pairs.
    for (const auto& pr : topo.all_pairs(*profile.pingpong_matrix, 1)) {
      BenchSpec s;
      s.kind = BenchKind::pingpong;
      s.matrix_cell = true;
      s.placement = std::string(topo::to_string(pr.cls));
      s.pus = {pr.a, pr.b};
      add(s);
    }
  }
  for (const auto& [n, pl] : placements) {
    for (const auto& strategy : strategies) {
      // One thread: private and shared are the same op on an uncontended line, and
      // the other workloads need a partner: one row, `private`.
      std::vector<WorkloadChoice> single{{Workload::private_objects}};
      if (n == 1 && has_owners(strategy) && !pairs.empty()) single.push_back({Workload::foreign});
      for (const auto& w : n == 1 ? single : workloads) {
        for (const MemoryChoice& m : memory_choices(topo, w.workload, pl.pus)) {
          BenchSpec s = base_spec(strategy, o);
          s.workload = w.workload;
          s.param = w.param;
          s.placement = pl.name;
          s.pus = pl.pus;
          s.memory = m.memory;
          s.memory_node = m.node;
          s.ops_per_iteration = workloads::ops_per_block(w.workload);
          // foreign: the parked owner attaches as a second thread.
          s.domain.max_threads = w.workload == Workload::foreign ? 2 : n;
          add(s);
        }
      }
    }
  }
  if (profile.gil_window_cap_s)
    for (PlannedBenchmark& pb : plan) pb.spec.gil_window_cap_s = *profile.gil_window_cap_s;
  return plan;
}

}  // namespace rcbench::harness
