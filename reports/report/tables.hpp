// The publishable tables, built once from a Report and rendered three ways
// (Markdown, HTML; CSV is its own flat file). Each table says which statistic it
// shows and why, next to the numbers.
#pragma once

#include "report/report_model.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::report {

struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string note;  // shown under the table (e.g. the legend of cell markers)
  // Per cell, the ratio the HTML page colours it by (colour_scale.hpp): parallel to
  // rows, a row may be shorter than its cells; empty: no colour. Other renderers ignore it.
  std::vector<std::vector<std::optional<double>>> shade = {};
  std::string shade_meaning = "";  // what a coloured cell's ratio compares, for the legend
  // A reference table a reader opens on demand: the HTML page shows it folded (so is
  // any table longer than kFoldAboveRows rows).
  bool fold = false;
};

inline constexpr std::size_t kFoldAboveRows = 25;
bool folded(const Table& table);

struct Section {
  std::string id;     // anchor, e.g. "main"
  std::string title;
  std::vector<std::string> paragraphs;  // plain text, before the tables
  std::vector<Table> tables;
  std::vector<std::string> bullets;     // plain text, after the tables
};

std::vector<Section> report_sections(const Report& report);

// The headline figures of every row with their spread, one table per placement and
// thread count (interval_tables.cpp): the HTML page's and report.tex's interval tables.
std::vector<Table> interval_tables(const Report& report);

// report.tex: booktabs tables (latex.cpp) of the interval tables and the cost tables.
std::string render_latex(const Report& report);
// LaTeX text for a run's string: the ten special characters escaped, the report's
// Unicode (×, –, —, ≤, …) as LaTeX commands, anything else non-ASCII as '?'.
std::string latex_escape(std::string_view text);

// What the plot step produced (see plots.hpp); renderers show or explain it.
struct PlotFile {
  std::string name, title;
  std::filesystem::path png, svg;  // relative to the report directory
};
struct PlotOutcome {
  bool requested = false;
  std::vector<PlotFile> made;
  std::vector<std::string> notes;  // "plots skipped: ...", "heat map skipped: ..."
};

std::string render_markdown(const Report& report, const PlotOutcome& plots);
// One self-contained page: inline CSS, plots inlined as SVG read from `report_dir`.
std::string render_html(const Report& report, const PlotOutcome& plots,
                        const std::filesystem::path& report_dir);
// One row per record, every numeric field a column (a spreadsheet user's file).
std::string render_csv(const Report& report);

}  // namespace rcbench::report
