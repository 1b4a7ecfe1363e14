// The descriptive sections of the report (machine, build, run, perf, environment)
// and the caveats a reader must see next to the figures.
#pragma once

#include "report/report_model.hpp"

#include <string>
#include <vector>

namespace rcbench::report::detail {

nlohmann::json machine_section(const runjson::Run& run);
nlohmann::json build_section(const runjson::Run& run);
nlohmann::json run_section(const runjson::Run& run);
nlohmann::json perf_section(const runjson::Run& run);
nlohmann::json environment_section(const runjson::Run& run);
// rcbench.cpython (the embedded interpreter of the real-interpreter rows), or null.
nlohmann::json cpython_section(const runjson::Run& run);

// Sentences about the conditions of the whole run and the flags of its records.
std::vector<std::string> caveats(const Report& report);

}  // namespace rcbench::report::detail
