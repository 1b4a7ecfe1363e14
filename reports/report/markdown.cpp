// tables.md: the report's sections as GitHub-flavoured Markdown.
#include "report/tables.hpp"

#include <fmt/core.h>

#include <cctype>
#include <string_view>

namespace rcbench::report {
namespace {

// Markdown renderers pass raw HTML through, and a run JSON's strings (command line,
// CPU model, file names) are not ours: a '<' that could open a tag is written as an
// entity. "p < 0.05" and "<= 5" stay as they are.
std::string no_html(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char next = i + 1 < text.size() ? text[i + 1] : ' ';
    const bool opens_tag = std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!' || next == '?';
    if (text[i] == '<' && opens_tag) {
      out += "&lt;";
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string cell(const std::string& text) {
  std::string out;
  for (char c : no_html(text)) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string table_md(const Table& t) {
  std::string out;
  if (!t.caption.empty()) out += fmt::format("**{}**\n\n", no_html(t.caption));
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
  if (!t.note.empty()) out += fmt::format("\n_{}_\n", no_html(t.note));
  return out + "\n";
}

}  // namespace

std::string render_markdown(const Report& report, const PlotOutcome& plots) {
  std::string out = fmt::format("# rcbench report: {}\n\n",
                                no_html(report.machine.value("cpu_model", nlohmann::json(nullptr)).is_string()
                                            ? report.machine["cpu_model"].get<std::string>()
                                            : std::string("unknown CPU")));
  for (const Section& s : report_sections(report)) {
    out += fmt::format("## {}\n\n", s.title);
    for (const std::string& p : s.paragraphs) out += no_html(p) + "\n\n";
    for (const Table& t : s.tables) out += table_md(t);
    for (const std::string& b : s.bullets) out += fmt::format("- {}\n", no_html(b));
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
