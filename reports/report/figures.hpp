// Small helpers shared by the report's builders: summarizing a counter over chosen
// repetitions, and reading optional fields of the run's metadata.
#pragma once

#include "report/report_model.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::report::detail {

// Summary of `counter` over the repetitions at `positions` (indexes into b.reps),
// skipping repetitions that lack it; nullopt when none has it.
std::optional<Figure> figure_of(const runjson::Benchmark& b, std::string_view counter,
                                const std::vector<std::size_t>& positions, std::string unit,
                                std::string scope);

std::optional<Figure> figure_of_values(const std::vector<double>& values, std::string unit,
                                       std::string scope);

// counter / ops, per repetition, for repetitions that have both and ops > 0.
std::optional<Figure> per_op_figure(const runjson::Benchmark& b, std::string_view counter,
                                    const std::vector<std::size_t>& positions, std::string unit,
                                    std::string scope);

std::optional<EventCount> event_count(const runjson::Benchmark& b, std::string_view counter);

// meta[key] as a string, or "" when absent or not a string.
std::string meta_string(const nlohmann::json& meta, std::string_view key);
std::vector<int> meta_pus(const nlohmann::json& meta);

// "0-1", "0,2,4": a short PU list for labels.
std::string pu_list(const std::vector<int>& pus);

}  // namespace rcbench::report::detail
