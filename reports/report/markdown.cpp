// tables.md: the report's sections as GitHub-flavoured Markdown.
#include "report/tables.hpp"

#include <fmt/core.h>

namespace rcbench::report {
namespace {

std::string cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string table_md(const Table& t) {
  std::string out;
  if (!t.caption.empty()) out += fmt::format("**{}**\n\n", t.caption);
  std::string sep;
  out += "|";
  for (const std::string& h : t.header) {
    out += fmt::format(" {} |", cell(h));
    sep += "---|";
  }
  out += fmt::format("\n|{}\n", sep);
  for (const auto& row : t.rows) {
    out += "|";
    for (const std::string& c : row) out += fmt::format(" {} |", cell(c));
    out += "\n";
  }
  if (!t.note.empty()) out += fmt::format("\n_{}_\n", t.note);
  return out + "\n";
}

}  // namespace

std::string render_markdown(const Report& report, const PlotOutcome& plots) {
  std::string out = fmt::format("# rcbench report: {}\n\n",
                                report.machine.value("cpu_model", nlohmann::json(nullptr)).is_string()
                                    ? report.machine["cpu_model"].get<std::string>()
                                    : std::string("unknown CPU"));
  for (const Section& s : report_sections(report)) {
    out += fmt::format("## {}\n\n", s.title);
    for (const std::string& p : s.paragraphs) out += p + "\n\n";
    for (const Table& t : s.tables) out += table_md(t);
    for (const std::string& b : s.bullets) out += fmt::format("- {}\n", b);
    if (!s.bullets.empty()) out += "\n";
  }
  if (plots.requested) {
    out += "## Plots\n\n";
    for (const PlotFile& p : plots.made)
      out += fmt::format("**{}** ([SVG]({}))\n\n![{}]({})\n\n", p.title, p.svg.string(), p.title, p.png.string());
    for (const std::string& n : plots.notes) out += fmt::format("- {}\n", n);
    out += "\n";
  }
  return out;
}

}  // namespace rcbench::report
