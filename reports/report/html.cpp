// report.html: one self-contained page (inline CSS, plots inlined as SVG) that a
// reader can open from disk or attach to a mail, with nothing fetched from anywhere.
#include "report/colour_scale.hpp"
#include "report/format.hpp"
#include "report/tables.hpp"

#include <fmt/core.h>

#include <fstream>
#include <sstream>

namespace rcbench::report {
namespace {

std::string esc(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr const char* kStyle = R"(
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
       margin: 0 auto; max-width: 1300px; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #d8dde6; }
p { margin: 6px 0 10px; max-width: 95ch; }
nav a { margin-right: 14px; color: #2457a6; text-decoration: none; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 14px; }
.wide { overflow-x: auto; max-width: 100%; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 6px 0; }
th, td { border: 1px solid #d8dde6; padding: 4px 10px; vertical-align: top; }
th { background: #eef2f8; text-align: left; }
td { font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #f8f9fb; }
td:first-child { font-weight: 600; white-space: nowrap; }
.note { font-size: 13px; color: #555e6e; margin: 2px 0 14px; }
.caveats li { margin: 4px 0; }
figure { margin: 16px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.subtitle { color: #555e6e; margin-bottom: 12px; }
.fixture { background: #fff3cd; border: 2px solid #c77c02; padding: 8px 12px; font-weight: 600; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; color: #2457a6; }
.legend { display: flex; align-items: center; gap: 8px; font-size: 13px; margin: 2px 0 6px; }
.legend .scale { display: inline-block; width: 180px; height: 12px; border: 1px solid #d8dde6; }
)";

// The legend of a coloured table: the gradient and what its ends mean.
std::string shade_legend(const Table& t) {
  return fmt::format(
      "<div class=\"legend\"><span>≤{0}× cheaper</span><span class=\"scale\" style=\"background:linear-gradient("
      "to right,{1},{2},{3})\"></span><span>≥{4}× dearer</span> <span class=\"note\">cell colour: {5}; white at 1×, "
      "log scale</span></div>\n",
      format::sig(1 / kSaturation, 2), kCheaperColour, kEvenColour, kDearerColour, format::sig(kSaturation, 2),
      esc(t.shade_meaning));
}

std::string table_html(const Table& t) {
  std::string out;
  if (folded(t))
    out += fmt::format("<details><summary>{} ({} row{})</summary>\n", t.caption.empty() ? "Table" : esc(t.caption),
                       t.rows.size(), t.rows.size() == 1 ? "" : "s");
  // A wide table (16 columns at two threads) scrolls inside its box, not off the page.
  out += "<div class=\"wide\"><table>";
  if (!t.caption.empty()) out += fmt::format("<caption>{}</caption>", esc(t.caption));
  out += "<thead><tr>";
  for (const std::string& h : t.header) out += fmt::format("<th>{}</th>", esc(h));
  out += "</tr></thead><tbody>\n";
  bool coloured = false;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    out += "<tr>";
    for (std::size_t j = 0; j < t.rows[i].size(); ++j) {
      const std::optional<double> ratio =
          i < t.shade.size() && j < t.shade[i].size() ? t.shade[i][j] : std::optional<double>();
      const std::optional<std::string> colour = ratio ? ratio_colour(*ratio) : std::nullopt;
      coloured = coloured || colour.has_value();
      out += colour ? fmt::format("<td class=\"ratio\" style=\"background:{}\">{}</td>", *colour, esc(t.rows[i][j]))
                    : fmt::format("<td>{}</td>", esc(t.rows[i][j]));
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  if (coloured) out += shade_legend(t);
  if (!t.note.empty()) out += fmt::format("<p class=\"note\">{}</p>\n", esc(t.note));
  if (folded(t)) out += "</details>\n";
  return out;
}

// The SVG file's markup without its XML prolog and doctype, ready to inline.
std::string inline_svg(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  const std::string svg = text.str();
  const std::size_t start = svg.find("<svg");
  return start == std::string::npos ? "" : svg.substr(start);
}

}  // namespace

std::string render_html(const Report& report, const PlotOutcome& plots, const std::filesystem::path& report_dir) {
  const auto sections = report_sections(report);
  const nlohmann::json& m = report.machine;
  const std::string cpu = m.value("cpu_model", nlohmann::json(nullptr)).is_string()
                              ? m["cpu_model"].get<std::string>() : "unknown CPU";
  const std::string date = report.run.value("date", nlohmann::json(nullptr)).is_string()
                               ? report.run["date"].get<std::string>() : "unknown date";
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>rcbench report: {}</title><style>{}</style></head><body>\n"
      "<h1>rcbench report: what reference counting costs</h1>\n<div class=\"subtitle\">{} · {} · {} records</div>\n<nav>",
      esc(cpu), kStyle, esc(cpu), esc(date), report.records.size());
  for (const Section& s : sections) out += fmt::format("<a href=\"#{}\">{}</a>", s.id, esc(s.title));
  if (plots.requested) out += "<a href=\"#plots\">Plots</a>";
  out += "</nav>\n";
  // A synthetic run (scripts/make_scale_fixture.py) says so before anything else.
  if (const nlohmann::json f = report.run.value("fixture", nlohmann::json(nullptr)); f.is_string())
    out += fmt::format("<p class=\"fixture\">Not a measurement: this run is a fixture ({}).</p>\n",
                       esc(f.get<std::string>()));

  for (const Section& s : sections) {
    out += fmt::format("<section id=\"{}\"><h2>{}</h2>\n", s.id, esc(s.title));
    for (const std::string& p : s.paragraphs) out += fmt::format("<p>{}</p>\n", esc(p));
    for (const Table& t : s.tables) out += table_html(t);
    if (!s.bullets.empty()) {
      out += fmt::format("<ul class=\"{}\">", s.id);
      for (const std::string& b : s.bullets) out += fmt::format("<li>{}</li>", esc(b));
      out += "</ul>\n";
    }
    out += "</section>\n";
  }
  if (plots.requested) {
    out += "<section id=\"plots\"><h2>Plots</h2>\n";
    for (const PlotFile& p : plots.made) {
      const std::string svg = inline_svg(report_dir / p.svg);
      out += fmt::format("<figure><figcaption>{}</figcaption>{}</figure>\n", esc(p.title),
                         svg.empty() ? "<p class=\"note\">(SVG missing)</p>" : svg);
    }
    for (const std::string& n : plots.notes) out += fmt::format("<p class=\"note\">{}</p>\n", esc(n));
    out += "</section>\n";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace rcbench::report
