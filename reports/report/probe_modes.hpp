// Tags every repetition with the coherence-latency mode it ran in (reports/stats/
// modes.hpp), pooling the probes of all benchmarks that run on the same PUs so that a
// mode id means the same latency in every row of a group (and a row can be compared
// with its baseline's mode). Rows on different PUs are never pooled: on a lab machine
// an l3 pair and a numa pair differ by placement, not by mode.
#pragma once

#include "report/report_model.hpp"
#include "stats/modes.hpp"

#include <map>
#include <string>
#include <vector>

namespace rcbench::report::detail {

struct ProbeModes {
  std::map<std::string, stats::ModeTags> tags;   // run_name -> per-rep tags (rows with probes)
  std::map<std::string, std::string> group_of;   // run_name -> group key
  std::vector<ModeGroup> multi_thread_groups;    // the run's modes_seen
};

ProbeModes assign_probe_modes(const runjson::Run& run);

}  // namespace rcbench::report::detail
