// `rcbench report` as a library call: load a run, build the report, write the chosen
// formats into a directory that appears whole or not at all (output_dir.hpp).
#pragma once

#include "report/output_dir.hpp"
#include "report/plots.hpp"
#include "report/report_model.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::report {

enum class Format { json, markdown, csv, html, plots, latex };

// "json,md,csv,html,plots,tex" -> formats. Throws std::invalid_argument naming a bad entry.
std::set<Format> parse_formats(std::string_view list);
std::set<Format> all_formats();

// <directory of RUN.json>/<stem>.report
std::filesystem::path default_out_dir(const std::filesystem::path& run_json);

struct WriteOptions {
  std::filesystem::path out_dir;         // empty: default_out_dir(run)
  std::set<Format> formats = all_formats();
  bool force = false;                    // replace an existing report directory
  PlotOptions plots;
};

struct WriteResult {
  std::filesystem::path out_dir;
  std::vector<std::string> files;   // relative to out_dir
  std::vector<std::string> notes;   // e.g. "plots skipped: ..."
};

// Throws OutputExists / OutputError; nothing is left behind on failure.
WriteResult write_report(const Report& report, const WriteOptions& options);

// load_run + build_report + write_report. Throws runjson::InputError for bad input
// (before anything is written), OutputExists / OutputError for the output.
WriteResult report_file(const std::filesystem::path& run_json, WriteOptions options);

}  // namespace rcbench::report
