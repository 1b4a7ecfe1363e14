// Renders a CompareResult: a terminal table, a Markdown table, and the JSON verdict
// (format "rcbench-compare", documented in docs/gate.md). Nothing here computes.
#pragma once

#include "compare/compare.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace rcbench::compare {

std::string render_terminal(const CompareResult& result);
std::string render_markdown(const CompareResult& result);
nlohmann::json to_json(const CompareResult& result);

// "ns per op, per thread" for ns_per_op_thread, ...: the unit and scope of a counter.
std::string unit_of(std::string_view counter);

}  // namespace rcbench::compare
