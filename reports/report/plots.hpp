// Runs scripts/plot_report.py (matplotlib) on a written report.json. Plots are an
// extra: when Python or matplotlib is missing the report still completes and says
// "plots skipped: <reason>".
#pragma once

#include "report/tables.hpp"

#include <filesystem>
#include <string>

namespace rcbench::report {

struct PlotOptions {
  std::filesystem::path script;          // scripts/plot_report.py
  std::string python = "/usr/bin/python3";  // Debian's, which has matplotlib (not pyenv's)
};

// Writes <report_dir>/plots/*.png|svg from <report_dir>/report.json.
PlotOutcome make_plots(const std::filesystem::path& report_dir, const PlotOptions& options);

}  // namespace rcbench::report
