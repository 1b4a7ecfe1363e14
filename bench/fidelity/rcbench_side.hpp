// rcbench's side of the fidelity check: its own rows, planned and run in this process
// through the harness API (run.hpp), exactly as `rcbench run` would run them, and
// the counters read back from Google Benchmark's JSON.
#pragma once

#include "figures.hpp"

#include "run.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::topo { class Topology; }

namespace rcbench::fidelity {

struct RcbenchOptions {
  unsigned repetitions = 1;
  double min_time_s = 0.2;
  std::string placement;            // empty: the plan's first two-thread placement
  std::FILE* progress = nullptr;    // rcbench's progress lines; null: none
};

// One round's rows: run_name -> its repetitions (Google Benchmark's JSON entries).
using RoundRows = std::map<std::string, std::vector<nlohmann::json>>;

struct Reading {
  std::optional<double> value;  // median over the round's repetitions
  std::string problem;          // why there is no value
};

class RcbenchSide {
 public:
  // Plans once; throws std::invalid_argument / std::runtime_error when it cannot.
  RcbenchSide(const topo::Topology&, RcbenchOptions);

  RoundRows run_round() const;
  // The figure's row, or "" when the plan does not have it.
  const std::string& row_of(const Figure&) const;
  Reading read(const RoundRows&, const Figure&) const;

  const std::string& placement() const { return placement_; }
  std::optional<unsigned> single_pu() const { return single_pu_; }
  std::optional<std::array<unsigned, 2>> pair_pus() const { return pair_pus_; }
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  const topo::Topology& topology_;
  RcbenchOptions options_;
  harness::RunRequest request_;
  harness::SelectedPlan plan_;
  harness::Runtime runtime_;
  std::string placement_;
  std::map<std::string, std::string, std::less<>> row_by_key_;
  std::optional<unsigned> single_pu_;
  std::optional<std::array<unsigned, 2>> pair_pus_;
  std::vector<std::string> notes_;
};

}  // namespace rcbench::fidelity
