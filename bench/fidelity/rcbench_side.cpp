#include "rcbench_side.hpp"

#include "rcbench/topology/topology.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace rcbench::fidelity {
namespace {

std::string with_placement(std::string_view row, const std::string& placement) {
  std::string out(row);
  if (const auto at = out.find("{P}"); at != std::string::npos) out.replace(at, 3, placement);
  return out;
}

// Google Benchmark's filter is a POSIX extended regex: quote the names literally.
std::string regex_quote(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(".[]{}()*+?^$|\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const ScopeCounters& counters_for(Scope s) {
  for (const auto& c : kScopeCounters)
    if (c.scope == s) return c;
  throw std::logic_error("scope without counters");
}

}  // namespace

RcbenchSide::RcbenchSide(const topo::Topology& topology, RcbenchOptions options)
    : topology_(topology), options_(std::move(options)) {
  // The default profile has every row of the table (atomic_cas, both paddings and
  // the calibration rows); the filter below keeps only ours, with no baselines added.
  request_.profile = "default";
  request_.repetitions = options_.repetitions;
  request_.min_time_s = options_.min_time_s;
  request_.probes = false;  // the probes time the line between runs, not the rows
  request_.selection.add_baselines = false;
  const harness::SelectedPlan everything = harness::plan_for(request_, topology_);

  placement_ = options_.placement;
  if (placement_.empty()) {
    for (const auto& pb : everything.rows)
      if (pb.spec.threads() == 2 && pb.spec.kind == harness::BenchKind::refcount) {
        placement_ = pb.spec.placement;
        break;
      }
  }
  std::map<std::string, const harness::BenchSpec*> available;
  for (const auto& pb : everything.rows) available.emplace(pb.spec.run_name(), &pb.spec);

  std::set<std::string> chosen;
  for (const Figure& f : kFigures) {
    const std::string name = with_placement(f.row, placement_);
    const std::string found = available.contains(name) ? name : std::string();
    if (found.empty()) {
      notes_.push_back(fmt::format("{}: rcbench has no row {} (not in this build's plan)", f.label, name));
    } else {
      chosen.insert(found);
      const harness::BenchSpec& spec = *available.at(found);
      if (spec.threads() == 1 && !single_pu_) single_pu_ = spec.pus.at(0);
      if (spec.threads() == 2) {
        const std::array<unsigned, 2> pus{spec.pus.at(0), spec.pus.at(1)};
        if (!pair_pus_) pair_pus_ = pus;
        else if (*pair_pus_ != pus)
          notes_.push_back(fmt::format("{} runs on PUs {},{}, not {},{} as the other pair rows", found, pus[0],
                                       pus[1], (*pair_pus_)[0], (*pair_pus_)[1]));
      }
    }
    row_by_key_.emplace(std::string(f.key), found);
  }
  if (chosen.empty()) throw std::runtime_error("none of the fidelity rows is in rcbench's plan");

  std::string filter;
  for (const auto& name : chosen) filter += (filter.empty() ? "" : "|") + regex_quote(name);
  request_.selection.filter = "^(" + filter + ")$";
  plan_ = harness::plan_for(request_, topology_);
  if (plan_.rows.size() != chosen.size())
    throw std::logic_error(fmt::format("the filter selected {} rows, expected {}", plan_.rows.size(), chosen.size()));

  runtime_.topology = &topology_;
  runtime_.events = nullptr;  // no PAPI/OS counters: the figures are times only
  runtime_.probes = false;
}

// run_plan is called once per round. Google Benchmark 1.7.1 allows that (Initialize,
// register, run, ClearRegisteredBenchmarks, Shutdown each time), with two catches that
// do not bite here: its FLAGS_* globals keep what an earlier call set unless the next
// call sets them again (run_plan always sets repetitions, min time and aggregates; we
// pass no other flag), and a --benchmark_context flag would be added to a context map
// that Shutdown deleted without resetting the pointer.
RoundRows RcbenchSide::run_round() const {
  std::FILE* progress = options_.progress;
  std::FILE* devnull = nullptr;
  if (progress == nullptr) progress = devnull = std::fopen("/dev/null", "w");
  harness::RunStreams streams{.progress = progress, .gbench_out = nullptr};
  harness::RunRecord record;
  try {
    record = harness::run_plan(request_, plan_, runtime_, streams);
  } catch (...) {
    if (devnull != nullptr) std::fclose(devnull);
    throw;
  }
  if (devnull != nullptr) std::fclose(devnull);
  const nlohmann::json& doc = record.document;
  RoundRows rows;
  for (const auto& b : doc.at("benchmarks"))
    if (b.value("run_type", "") == "iteration") rows[b.value("run_name", "")].push_back(b);
  return rows;
}

const std::string& RcbenchSide::row_of(const Figure& f) const { return row_by_key_.find(f.key)->second; }

Reading RcbenchSide::read(const RoundRows& rows, const Figure& f) const {
  Reading r;
  const std::string& row = row_of(f);
  if (row.empty()) {
    r.problem = "no row";
    return r;
  }
  const auto it = rows.find(row);
  if (it == rows.end() || it->second.empty()) {
    r.problem = "row did not run";
    return r;
  }
  for (const auto& entry : it->second)
    if (entry.value("error_occurred", false)) {
      r.problem = "error: " + entry.value("error_message", std::string("?"));
      return r;
    }
  const std::string counter(counters_for(f.scope).counter);
  std::vector<double> values;
  for (const auto& entry : it->second) {
    const auto v = entry.find(counter);
    if (v != entry.end() && v->is_number()) values.push_back(v->get<double>());
  }
  if (values.size() == it->second.size()) {
    r.value = median(values);
    return r;
  }
  r.problem = "no counter " + counter;
  return r;
}

}  // namespace rcbench::fidelity
