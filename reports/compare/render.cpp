#include "compare/render.hpp"

#include "run/counter_catalog.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace rcbench::compare {
namespace {

using nlohmann::json;

std::string value_text(const CompareResult& r, const RowResult& row, double v) {
  if (std::isnan(v)) return "-";
  const bool ratio = r.config.mode == Mode::normalized && row.status != RowStatus::reference;
  return ratio ? fmt::format("{:.3f}x", v) : fmt::format("{:.4g}", v);
}

std::string verdict_text(const RowResult& row) {
  switch (row.status) {
    case RowStatus::regression: return fmt::format("REGRESSION (> {:g}%)", row.threshold_pct);
    case RowStatus::improvement: return fmt::format("improvement (> {:g}%)", row.threshold_pct);
    case RowStatus::same: return "same";
    case RowStatus::inconclusive: return "INCONCLUSIVE";
    case RowStatus::missing_in_candidate: return "MISSING in candidate";
    case RowStatus::new_in_candidate: return "new (not in base)";
    case RowStatus::reference: return "reference";
    case RowStatus::not_gated: return "not gated";
  }
  return "?";
}

std::vector<std::string> header() { return {"benchmark", "base", "candidate", "change", "p", "reps b/c", "mode", "verdict"}; }

std::vector<std::string> cells(const CompareResult& r, const RowResult& row) {
  return {row.name,
          value_text(r, row, row.base),
          value_text(r, row, row.candidate),
          std::isnan(row.change_pct) ? "-" : fmt::format("{:+.1f}%", row.change_pct),
          std::isnan(row.p_value) ? "-" : fmt::format("{:.2g}", row.p_value),
          fmt::format("{}/{}", row.n_base, row.n_candidate),
          row.mode >= 0 ? std::to_string(row.mode) : "all",
          verdict_text(row)};
}

std::string left_out_text(const RowResult& row) {
  if (row.left_out_base + row.left_out_candidate == 0) return "";
  return fmt::format("{} base / {} candidate repetitions left out: {}", row.left_out_base,
                     row.left_out_candidate, runjson::left_out_rules());
}

std::string what_is_compared(const CompareResult& r) {
  const std::string unit = unit_of(r.config.counter);
  std::string s = fmt::format("values: {} over repetitions of {} ({})", to_string(r.config.statistic),
                              r.config.counter, unit);
  if (r.config.mode == Mode::normalized)
    s += fmt::format(", divided by the {} of the row's normalizer in the same run (its GIL baseline; "
                     "for GIL rows {}): a ratio",
                     to_string(r.config.statistic), r.config.anchor);
  s += r.higher_is_better ? "; higher is better" : "; lower is better";
  s += fmt::format("; repetitions with migrations, or with {}, left out", runjson::left_out_rules());
  s += fmt::format(".\ntest: Mann-Whitney U, two-sided, alpha {:g}; regression = significant and slower "
                   "than the row's threshold; min {} repetitions per side{}.",
                   r.config.alpha, r.config.min_reps,
                   r.config.use_modes ? " within one coherence mode where the config asks for it (mode column)"
                                      : " (modes ignored: --no-modes)");
  return s;
}

std::string environment_text(const SideInfo& s) {
  const EnvironmentCheck& e = s.environment;
  return fmt::format("steal {}, load avg 1m {} ({} PUs), reps with migrations {}/{}{}",
                     e.steal_fraction ? fmt::format("{:.2f}%", 100 * *e.steal_fraction) : "not recorded",
                     e.loadavg_1m_max ? fmt::format("{:.2f}", *e.loadavg_1m_max) : "not recorded", e.pus,
                     e.migrated_reps, e.reps, e.disturbed ? " -> DISTURBED" : "");
}

std::string side_label(const SideInfo& s) {
  std::string l = s.source;
  if (!s.git_revision.empty()) l += fmt::format(" (rev {})", s.git_revision);
  if (!s.injected_slowdown.is_null()) l += fmt::format(" [injected slowdown {}]", s.injected_slowdown.dump());
  return l;
}

std::string verdict_line(const CompareResult& r) {
  std::string v(to_string(r.verdict));
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return fmt::format("verdict: {} (exit {})", v, exit_code_of(r.verdict));
}

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json environment_json(const EnvironmentCheck& e) {
  return {{"steal_fraction", e.steal_fraction ? json(*e.steal_fraction) : json(nullptr)},
          {"loadavg_1m_max", e.loadavg_1m_max ? json(*e.loadavg_1m_max) : json(nullptr)},
          {"pus", e.pus},
          {"reps", e.reps},
          {"migrated_reps", e.migrated_reps},
          {"disturbed", e.disturbed},
          {"notes", e.notes}};
}

}  // namespace

std::string unit_of(std::string_view counter) {
  const auto info = runjson::counter_info(counter);
  return info ? info->unit : std::string(counter);
}

std::string render_terminal(const CompareResult& r) {
  std::string out = fmt::format("rcbench compare ({} mode)\n  base:      {}\n  candidate: {}\n",
                                to_string(r.config.mode), side_label(r.base), side_label(r.candidate));
  out += what_is_compared(r) + "\n";
  if (!r.modes.empty()) {
    out += "coherence modes (one-way latency between the benchmark's PUs, probed around each repetition):\n";
    for (const ModeUse& m : r.modes)
      out += fmt::format("  mode {}: {}  stable reps: {} base, {} candidate\n", m.mode.id,
                         stats::describe_mode(m.mode), m.reps_base, m.reps_candidate);
  }
  std::vector<std::vector<std::string>> table{header()};
  for (const RowResult& row : r.rows) table.push_back(cells(r, row));
  std::vector<std::size_t> width(table.front().size(), 0);
  for (const auto& line : table)
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  out += "\n";
  for (const auto& line : table) {
    std::string l;
    for (std::size_t i = 0; i < line.size(); ++i) {
      // Names and verdicts read left-aligned, numbers right-aligned.
      const bool left = i == 0 || i + 1 == line.size();
      l += left ? fmt::format("{:<{}}", line[i], width[i]) : fmt::format("{:>{}}", line[i], width[i]);
      if (i + 1 < line.size()) l += "  ";
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  }
  bool any_reason = false;
  for (const RowResult& row : r.rows) {
    const std::string left_out = left_out_text(row);
    if (row.reason.empty() && left_out.empty()) continue;
    if (!any_reason) out += "\nnotes:\n";
    any_reason = true;
    if (!row.reason.empty()) out += fmt::format("  {}: {}\n", row.name, row.reason);
    if (!left_out.empty()) out += fmt::format("  {}: {}\n", row.name, left_out);
  }
  out += fmt::format("\nenvironment:\n  base:      {}\n  candidate: {}\n", environment_text(r.base),
                     environment_text(r.candidate));
  out += fmt::format("\n{}\n", verdict_line(r));
  for (const std::string& why : r.reasons) out += fmt::format("  - {}\n", why);
  return out;
}

std::string render_markdown(const CompareResult& r) {
  std::string out = fmt::format("## rcbench compare ({} mode): {}\n\n", to_string(r.config.mode), to_string(r.verdict));
  out += fmt::format("- base: `{}`\n- candidate: `{}`\n", side_label(r.base), side_label(r.candidate));
  std::string what = what_is_compared(r);
  std::replace(what.begin(), what.end(), '\n', ' ');
  out += "- " + what + "\n";
  for (const ModeUse& m : r.modes)
    out += fmt::format("- coherence mode {}: {} (one-way ns), stable reps {} base / {} candidate\n", m.mode.id,
                       stats::describe_mode(m.mode), m.reps_base, m.reps_candidate);
  out += "\n| " + fmt::format("{}", fmt::join(header(), " | ")) + " |\n|";
  for (std::size_t i = 0; i < header().size(); ++i) out += i == 0 || i + 1 == header().size() ? "---|" : "---:|";
  out += "\n";
  for (const RowResult& row : r.rows) {
    auto c = cells(r, row);
    c[0] = "`" + c[0] + "`";
    if (row.status == RowStatus::regression) c.back() = "**" + c.back() + "**";
    out += "| " + fmt::format("{}", fmt::join(c, " | ")) + " |\n";
  }
  out += fmt::format("\nEnvironment: base {}; candidate {}.\n\n**{}**\n", environment_text(r.base),
                     environment_text(r.candidate), verdict_line(r));
  for (const std::string& why : r.reasons) out += "- " + why + "\n";
  for (const RowResult& row : r.rows) {
    if (!row.reason.empty()) out += fmt::format("- `{}`: {}\n", row.name, row.reason);
    if (const std::string left_out = left_out_text(row); !left_out.empty())
      out += fmt::format("- `{}`: {}\n", row.name, left_out);
  }
  return out;
}

json to_json(const CompareResult& r) {
  json rows = json::array();
  for (const RowResult& row : r.rows) {
    rows.push_back({{"name", row.name},
                    {"status", to_string(row.status)},
                    {"reason", row.reason},
                    {"normalizer", row.normalizer.empty() ? json(nullptr) : json(row.normalizer)},
                    {"mode", row.mode >= 0 ? json(row.mode) : json(nullptr)},
                    {"n_base", row.n_base},
                    {"n_candidate", row.n_candidate},
                    {"left_out_base", row.left_out_base},
                    {"left_out_candidate", row.left_out_candidate},
                    {"base", number_or_null(row.base)},
                    {"candidate", number_or_null(row.candidate)},
                    {"change_pct", number_or_null(row.change_pct)},
                    {"p_value", number_or_null(row.p_value)},
                    {"threshold_pct", row.threshold_pct},
                    {"gated", r.config.gated(row.name)}});
  }
  json modes = json::array();
  for (const ModeUse& m : r.modes)
    modes.push_back({{"id", m.mode.id}, {"center_ns", m.mode.center_ns}, {"lo_ns", m.mode.lo_ns},
                     {"hi_ns", m.mode.hi_ns}, {"reps_base", m.reps_base}, {"reps_candidate", m.reps_candidate}});
  const auto side = [](const SideInfo& s) {
    return json{{"source", s.source}, {"git_revision", s.git_revision}, {"profile", s.profile},
                {"injected_slowdown", s.injected_slowdown}, {"environment", environment_json(s.environment)}};
  };
  json counts = json::object();
  for (const RowResult& row : r.rows) counts[std::string(to_string(row.status))] = counts.value(std::string(to_string(row.status)), 0) + 1;
  const bool ratio = r.config.mode == Mode::normalized;
  return {{"format", "rcbench-compare"},
          {"format_version", 1},
          {"verdict", to_string(r.verdict)},
          {"exit_code", exit_code_of(r.verdict)},
          {"reasons", r.reasons},
          {"settings",
           {{"mode", to_string(r.config.mode)},
            {"statistic", to_string(r.config.statistic)},
            {"counter", r.config.counter},
            {"unit", ratio ? "ratio to the row's in-run normalizer (both in " + unit_of(r.config.counter) + ")"
                           : unit_of(r.config.counter)},
            {"higher_is_better", r.higher_is_better},
            {"alpha", r.config.alpha},
            {"min_reps", r.config.min_reps},
            {"use_modes", r.config.use_modes},
            {"anchor", r.config.anchor},
            {"config", r.config.source}}},
          {"base", side(r.base)},
          {"candidate", side(r.candidate)},
          {"modes", modes},
          {"counts", counts},
          {"rows", rows}};
}

}  // namespace rcbench::compare
