// The labels the report's tables give a row (tables.cpp), for the other table builders.
#pragma once

#include "report/report_model.hpp"

#include <string>

namespace rcbench::report::detail {

// "shared (mem=remote)", "false_sharing (pad=64)"
std::string workload_text(const Record& r);
// "placement l3 (PUs 0-1), 2 threads"
std::string placement_text(const Record& r);
// " [vo]" for the row's flags, "" when none; marker_text_legend: what they mean.
std::string marker_text(const Record& r);
std::string marker_text_legend(const std::vector<const Record*>& shown);

}  // namespace rcbench::report::detail
