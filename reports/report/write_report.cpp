#include "report/write_report.hpp"

#include "rcbench/io/interrupt.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <stdexcept>

namespace rcbench::report {
namespace {

namespace fs = std::filesystem;

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? "" : std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::set<Format> all_formats() {
  return {Format::json, Format::markdown, Format::csv, Format::html, Format::plots, Format::latex};
}

std::set<Format> parse_formats(std::string_view list) {
  std::set<Format> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string name = trim(list.substr(start, end - start));
    if (name == "json") out.insert(Format::json);
    else if (name == "md" || name == "markdown") out.insert(Format::markdown);
    else if (name == "csv") out.insert(Format::csv);
    else if (name == "html") out.insert(Format::html);
    else if (name == "plots") out.insert(Format::plots);
    else if (name == "tex" || name == "latex") out.insert(Format::latex);
    else if (name == "all") out = all_formats();
    else throw std::invalid_argument(fmt::format("unknown format '{}' (expected json, md, csv, html, plots, tex or all)", name));
    start = end + 1;
  }
  return out;
}

fs::path default_out_dir(const fs::path& run_json) {
  return run_json.parent_path() / (run_json.stem().string() + ".report");
}

WriteResult write_report(const Report& report, const WriteOptions& options) {
  StagedDirectory staged(options.out_dir, options.force);
  const fs::path& dir = staged.path();
  const auto wants = [&](Format f) { return options.formats.contains(f); };
  WriteResult result;
  result.out_dir = staged.target();

  // The plot script reads report.json, so it is written whenever plots are wanted.
  if (wants(Format::json) || wants(Format::plots)) write_file(dir / "report.json", to_json(report).dump(2) + "\n");
  PlotOutcome plots;
  if (wants(Format::plots)) {
    plots = make_plots(dir, options.plots);
    for (const PlotFile& p : plots.made) {
      result.files.push_back(p.png.string());
      result.files.push_back(p.svg.string());
    }
    result.notes = plots.notes;
  }
  if (!wants(Format::json)) fs::remove(dir / "report.json");
  if (wants(Format::json)) result.files.insert(result.files.begin(), "report.json");
  if (wants(Format::markdown)) {
    write_file(dir / "tables.md", render_markdown(report, plots));
    result.files.push_back("tables.md");
  }
  if (wants(Format::csv)) {
    write_file(dir / "tables.csv", render_csv(report));
    result.files.push_back("tables.csv");
  }
  if (wants(Format::latex)) {
    write_file(dir / "report.tex", render_latex(report));
    result.files.push_back("report.tex");
  }
  if (wants(Format::html)) {
    write_file(dir / "report.html", render_html(report, plots, dir));
    result.files.push_back("report.html");
  }
  // A signal (Ctrl-C, SIGTERM, SIGPIPE) stopped the plotting child and is honoured
  // here, before the report appears: the staging folder goes as the exception unwinds.
  io::throw_if_interrupted();
  staged.commit();
  return result;
}

WriteResult report_file(const fs::path& run_json, WriteOptions options) {
  const runjson::Run run = runjson::load_run(run_json);
  const Report report = build_report(run);
  if (options.out_dir.empty()) options.out_dir = default_out_dir(run_json);
  return write_report(report, options);
}

}  // namespace rcbench::report
