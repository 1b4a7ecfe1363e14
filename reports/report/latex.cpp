// report.tex: the paper's tables. The interval tables (median [p10, p90], units in the
// header) and the cost tables (ns/op with the ratio to the GIL baseline) as booktabs
// tabulars in a document that compiles on its own with pdflatex; a writer copies the
// table environments into a paper.
#include "report/tables.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <utility>

namespace rcbench::report {
namespace {

// The report's own non-ASCII characters and what LaTeX (without extra packages) writes.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kUnicode = {{
    {"×", "$\\times$"},
    {"–", "--"},
    {"—", "---"},
    {"≤", "$\\leq$"},
    {"≥", "$\\geq$"},
    {"…", "\\dots{}"},
    {"·", "$\\cdot$"},
    {"−", "$-$"},
}};

std::string row_tex(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? " & " : "") + latex_escape(cells[i]);
  return out + " \\\\\n";
}

std::string table_tex(const Table& t) {
  std::string out = "\\begin{table}[htbp]\n\\centering\\small\n";
  if (!t.caption.empty()) out += fmt::format("\\caption{{{}}}\n", latex_escape(t.caption));
  out += fmt::format("\\begin{{tabular}}{{{}}}\n\\toprule\n", std::string(t.header.size(), 'l'));
  out += row_tex(t.header) + "\\midrule\n";
  for (const auto& row : t.rows) {
    std::vector<std::string> cells = row;
    cells.resize(t.header.size());  // every row as wide as the header: a balanced tabular
    out += row_tex(cells);
  }
  out += "\\bottomrule\n\\end{tabular}\n";
  if (!t.note.empty()) out += fmt::format("\\par\\footnotesize {}\n", latex_escape(t.note));
  return out + "\\end{table}\n\n";
}

}  // namespace

std::string latex_escape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const auto known = std::find_if(kUnicode.begin(), kUnicode.end(),
                                      [&](const auto& u) { return text.substr(i).starts_with(u.first); });
      if (known != kUnicode.end()) {
        out += known->second;
        i += known->first.size();
        continue;
      }
      out += '?';  // one '?' per character: skip its UTF-8 continuation bytes
      ++i;
      while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
      continue;
    }
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '{': out += "\\{"; break;
      case '}': out += "\\}"; break;
      case '$': out += "\\$"; break;
      case '&': out += "\\&"; break;
      case '#': out += "\\#"; break;
      case '%': out += "\\%"; break;
      case '_': out += "\\_"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '<': out += "\\textless{}"; break;
      case '>': out += "\\textgreater{}"; break;
      case '\n': out += ' '; break;
      // Braced so that a cell starting with '[' is never read as \\'s optional argument.
      case '[': out += "{[}"; break;
      case ']': out += "{]}"; break;
      default: out += c;
    }
    ++i;
  }
  return out;
}

std::string render_latex(const Report& report) {
  const nlohmann::json& cpu = report.machine.value("cpu_model", nlohmann::json(nullptr));
  std::string out =
      "% rcbench report.tex: booktabs tables of the report (rcbench report). Compiles with pdflatex;\n"
      "% copy a table environment into a paper (it needs \\usepackage{booktabs}).\n"
      "\\documentclass{article}\n\\usepackage[margin=2cm,landscape]{geometry}\n\\usepackage{booktabs}\n"
      "\\begin{document}\n";
  out += fmt::format("\\section*{{rcbench report: {}}}\n\n", latex_escape(cpu.is_string() ? cpu.get<std::string>() : "unknown CPU"));
  for (const Section& s : report_sections(report)) {
    if (s.id != "main" && s.id != "intervals" && s.id != "real_interpreter") continue;
    out += fmt::format("\\subsection*{{{}}}\n\n", latex_escape(s.title));
    for (const Table& t : s.tables) out += table_tex(t);
    out += "\\clearpage\n\n";
  }
  return out + "\\end{document}\n";
}

}  // namespace rcbench::report
