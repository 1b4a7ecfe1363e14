// The reader's page and the paper's tables (issue 18): the colour scale of ratio cells,
// folded long tables, the machine description with and without the newer machine fields,
// the interval tables, and report.tex's escaping and booktabs structure.
#include "report/colour_scale.hpp"
#include "report/format.hpp"
#include "report/machine_description.hpp"
#include "report/report_model.hpp"
#include "report/tables.hpp"
#include "run_builder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <cmath>
#include <limits>
#include <string>

namespace {

using namespace rcbench;
using nlohmann::json;
using rcbench::testing::BenchSpec;
using rcbench::testing::make_run;
using rcbench::testing::rep;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

// A GIL row at 10 ns/op total and an atomic row at 2 (0.2×), three repetitions each
// with a spread: per-thread 3, 4, 5 ns/op.
std::vector<BenchSpec> two_rows() {
  return {
      {"refcount/gil_cpython/shared/placement:l3/real_time/threads:2", {rep(10, 10), rep(10, 10), rep(10, 10)}},
      {"refcount/atomic/shared/placement:l3/real_time/threads:2", {rep(3, 2), rep(4, 2), rep(5, 2)}},
  };
}

std::string value_of(const std::vector<std::pair<std::string, std::string>>& rows, const std::string& what) {
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.first == what; });
  return it == rows.end() ? "(no row " + what + ")" : it->second;
}

TEST(ColourScale, WhiteAtOneBlueBelowRedAboveSaturatingAtTheEnds) {
  EXPECT_EQ(report::ratio_colour(1.0), "#ffffff");
  EXPECT_EQ(report::ratio_colour(1.0 / report::kSaturation), report::kCheaperColour);
  EXPECT_EQ(report::ratio_colour(report::kSaturation), report::kDearerColour);
  // Beyond the ends: the end colour, not an overflow.
  EXPECT_EQ(report::ratio_colour(1e-6), report::kCheaperColour);
  EXPECT_EQ(report::ratio_colour(1e6), report::kDearerColour);
  // Log scale: 0.5× and 2× are equally far from white, on opposite sides.
  EXPECT_NEAR(*report::ratio_position(0.5), -*report::ratio_position(2.0), 1e-12);
  EXPECT_LT(*report::ratio_position(0.5), 0);
  EXPECT_NEAR(*report::ratio_position(std::sqrt(report::kSaturation)), 0.5, 1e-12);
  // Halfway to blue: between white and kCheaperColour (#4393c3) channel by channel.
  EXPECT_EQ(report::ratio_colour(1.0 / std::sqrt(report::kSaturation)), "#a1c9e1");
  // Nothing to colour.
  for (double bad : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) EXPECT_FALSE(report::ratio_colour(bad).has_value()) << bad;
}

TEST(ReportPage, CostCellsAreColouredByTheirRatioWithALegend) {
  const std::string html = report::render_html(report::build_report(make_run(two_rows())), {}, ".");
  // atomic: 0.2× its GIL baseline; the GIL row: 1×, white.
  EXPECT_TRUE(contains(html, "<td class=\"ratio\" style=\"background:" + *report::ratio_colour(0.2) + "\">"))
      << html;
  EXPECT_TRUE(contains(html, "<td class=\"ratio\" style=\"background:#ffffff\">")) << html;
  EXPECT_TRUE(contains(html, "class=\"legend\""));
  EXPECT_TRUE(contains(html, "cell colour: the cell&#39;s ratio") || contains(html, "cell colour: the cell's ratio"))
      << html;
  EXPECT_TRUE(contains(html, "≤0.1× cheaper"));
}

TEST(ReportPage, TheModelOverRealColumnIsColouredToo) {
  const auto run = runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "two-vcpu-cpython.json");
  const report::Report r = report::build_report(run);
  const report::Record* model = nullptr;
  for (const report::Record& rec : r.records)
    if (rec.is_gil_baseline() && rec.ratio_to_real) model = &rec;
  ASSERT_NE(model, nullptr);
  const std::string html = report::render_html(r, {}, ".");
  EXPECT_TRUE(contains(html, "cell colour: model / real, total ns/op"));
  EXPECT_TRUE(contains(html, "style=\"background:" + *report::ratio_colour(*model->ratio_to_real) + "\">" +
                                 report::format::ratio(*model->ratio_to_real) + "</td>"))
      << html;
}

TEST(ReportPage, LongAndReferenceTablesAreFoldedWithTheirRowCount) {
  report::Table t{"a caption", {"a", "b"}, {}, ""};
  for (std::size_t i = 0; i < report::kFoldAboveRows; ++i) t.rows.push_back({"x", "y"});
  EXPECT_FALSE(report::folded(t));
  t.rows.push_back({"x", "y"});
  EXPECT_TRUE(report::folded(t));
  report::Table shortref{"", {"a"}, {{"x"}}, ""};
  shortref.fold = true;
  EXPECT_TRUE(report::folded(shortref));

  // The fairness/lost-updates table (one row per multi-thread record) is folded on the page.
  const std::string html = report::render_html(report::build_report(make_run(two_rows())), {}, ".");
  EXPECT_TRUE(contains(html, "<details><summary>Multi-thread rows: lost updates, fairness, per-thread ns/op, migrations (2 rows)</summary>")) << html;
  EXPECT_EQ(count(html, "<details>"), count(html, "</details>"));
}

TEST(ReportPage, IntervalTablesShowMedianP10P90WithUnitsInTheHeader) {
  const report::Report r = report::build_report(make_run(two_rows()));
  const std::vector<report::Table> tables = report::interval_tables(r);
  ASSERT_EQ(tables.size(), 1u);
  const report::Table& t = tables[0];
  EXPECT_EQ(t.header[2], "ns/op per thread, median [p10, p90]");
  EXPECT_EQ(t.header[3], "ns/op total (all threads), median [p10, p90]");
  ASSERT_EQ(t.rows.size(), 2u);
  const auto atomic = std::find_if(t.rows.begin(), t.rows.end(), [](const auto& row) { return row[0].rfind("atomic", 0) == 0; });
  ASSERT_NE(atomic, t.rows.end());
  // Per-thread 3, 4, 5: median 4, p10 3.2, p90 4.8 (linear interpolation).
  EXPECT_EQ((*atomic)[2], "4 [3.2, 4.8]");
  EXPECT_EQ((*atomic)[3], "2 [2, 2]");
  EXPECT_EQ((*atomic)[4], "0.2× (raw)");
  EXPECT_EQ((*atomic)[6], "3 of 3");
  // The ratio cells carry their ratio for the colour, the figures none.
  const std::size_t i = static_cast<std::size_t>(atomic - t.rows.begin());
  EXPECT_FALSE(t.shade[i][2].has_value());
  ASSERT_TRUE(t.shade[i][4].has_value());
  EXPECT_DOUBLE_EQ(*t.shade[i][4], 0.2);
}

TEST(MachineDescription, NewFieldsDescribeClockCachesMemoryAndNuma) {
  const json m = {
      {"cpu_model", "AMD EPYC 9654"}, {"vendor", "AuthenticAMD"}, {"kernel", "Linux 6.8"},
      {"cpu_mhz", 2400.0}, {"cpufreq_max_mhz", 3700.0}, {"memory_bytes", 1649267441664.0},
      {"numa", {{{"node", 0}, {"memory_bytes", 824633720832.0}, {"pus", "0-95,192-287"}},
                {{"node", 1}, {"memory_bytes", 824633720832.0}, {"pus", "96-191,288-383"}}}},
      {"cache_levels", {{{"level", 2}, {"type", "unified"}, {"size_bytes", 1048576}, {"instances", 2}, {"sharing", {"0,192", "1,193"}}},
                        {{"level", 3}, {"type", "unified"}, {"size_bytes", 33554432}, {"instances", 1}, {"sharing", {"0-7,192-199"}}}}},
      {"is_virtual", false}, {"virtual_evidence", json::array()}};
  const auto rows = report::machine_description(m);
  EXPECT_EQ(value_of(rows, "CPU"), "AMD EPYC 9654 (AuthenticAMD)");
  EXPECT_EQ(value_of(rows, "Frequency"), "2400 MHz (/proc/cpuinfo, CPU 0 at the start of the run); cpufreq maximum 3700 MHz");
  EXPECT_EQ(value_of(rows, "L2 unified cache"), "1 MiB per instance, 2 instances; PUs sharing each: 0,192 / 1,193");
  EXPECT_EQ(value_of(rows, "L3 unified cache"), "32 MiB per instance, 1 instance; PUs sharing each: 0-7,192-199");
  EXPECT_EQ(value_of(rows, "Memory"), "1.5 TiB total");
  EXPECT_EQ(value_of(rows, "NUMA nodes"), "2: node 0 (768 GiB, PUs 0-95,192-287); node 1 (768 GiB, PUs 96-191,288-383)");
  EXPECT_EQ(value_of(rows, "Virtual machine"), "no (no hypervisor evidence found)");
}

TEST(MachineDescription, MemorySaysBothTotalsWhenTheKernelsMemTotalExceedsTheNodes) {
  // This VM: node 0 holds 10.8 GiB, MemTotal is 23.5 GiB.
  const json vm = {{"memory_bytes", 11364564.0 * 1024}, {"mem_total_bytes", 24684092.0 * 1024}};
  EXPECT_EQ(value_of(report::machine_description(vm), "Memory"),
            "23.5 GiB (/proc/meminfo MemTotal); 10.8 GiB in hwloc's NUMA nodes");
  const json same = {{"memory_bytes", 4294967296.0}, {"mem_total_bytes", 4294967296.0}};
  EXPECT_EQ(value_of(report::machine_description(same), "Memory"), "4 GiB total");
  const json kernel_only = {{"mem_total_bytes", 4294967296.0}};
  EXPECT_EQ(value_of(report::machine_description(kernel_only), "Memory"), "4 GiB (MemTotal)");
}

TEST(MachineDescription, OldRunsSayNotRecordedOrFallBackToGoogleBenchmarksContext) {
  const json bare = {{"cpu_model", "Test CPU"}, {"is_virtual", true}, {"virtual_evidence", {"cpuid hypervisor bit"}}};
  const auto rows = report::machine_description(bare);
  for (const char* what : {"Frequency", "Caches", "Memory", "NUMA nodes", "Kernel"})
    EXPECT_EQ(value_of(rows, what), "not recorded") << what;
  EXPECT_EQ(value_of(rows, "Virtual machine"), "yes (evidence: cpuid hypervisor bit)");

  const json gb = {{"mhz_per_cpu", 2596}, {"numa_nodes", 1},
                   {"caches", {{{"type", "Data"}, {"level", 1}, {"size", 49152}, {"num_sharing", 1}}}}};
  const auto from_gb = report::machine_description(gb);
  EXPECT_EQ(value_of(from_gb, "Frequency"), "2596 MHz (Google Benchmark's mhz_per_cpu)");
  EXPECT_EQ(value_of(from_gb, "Caches"),
            "L1 Data 48 KiB, shared by 1 CPU(s) (Google Benchmark's context; which PUs share each: not recorded)");
  EXPECT_EQ(value_of(from_gb, "NUMA nodes"), "1 (memory per node: not recorded)");
}

TEST(MachineDescription, TheReportCarriesTheTopologysSizesAndDropsMalformedEntries) {
  const json machine = {
      {"cpu_model", "Test CPU"},
      {"cpu_mhz", 3000.5},
      {"cpufreq_max_mhz", nullptr},
      {"topology",
       {{"pus", 2},
        {"memory_bytes", 4294967296.0},
        {"numa", {{{"node", 0}, {"memory_bytes", 4294967296.0}, {"pus", "0-1"}}, {{"node", "zero"}}}},
        {"caches", {{{"level", 1}, {"type", "data"}, {"size_bytes", 32768}, {"instances", 2}, {"sharing", {"0", "1"}}},
                    {{"level", 2}, {"type", "unified"}, {"size_bytes", "big"}, {"sharing", {"0-1"}}}}}}}};
  const report::Report r = report::build_report(make_run(two_rows(), false, {{"machine", machine}}));
  EXPECT_EQ(r.machine["cpu_mhz"], 3000.5);
  EXPECT_TRUE(r.machine["cpufreq_max_mhz"].is_null());
  EXPECT_EQ(r.machine["memory_bytes"], 4294967296.0);
  ASSERT_EQ(r.machine["numa"].size(), 1u);  // the node without memory or PUs is dropped
  ASSERT_EQ(r.machine["cache_levels"].size(), 1u);  // the L2 without a numeric size is dropped
  EXPECT_EQ(r.machine["cache_levels"][0]["sharing"], json({"0", "1"}));

  const json old = report::build_report(make_run(two_rows())).machine;
  for (const char* k : {"cpu_mhz", "cpufreq_max_mhz", "memory_bytes", "numa", "cache_levels"})
    EXPECT_TRUE(old[k].is_null()) << k;
}

// An aarch64 run as rcbench records it since issue 20: the build's ISA and atomics mode,
// the machine's ISA, LSE and MIDR.
json arm_machine(bool lse) {
  return {{"cpu_model", "Arm Neoverse N1"},
          {"vendor", "Arm"},
          {"isa", "aarch64"},
          {"lse", lse},
          {"midr", {{"value", "0x413fd0c1"}, {"implementer", 65}, {"implementer_name", "Arm"}, {"part", 3340},
                    {"part_name", "Neoverse N1"}, {"variant", 3}, {"revision", 1}}},
          {"midr_source", "sysfs"},
          {"virtual", {{"is_virtual", false}, {"evidence", json::array()}}}};
}

json arm_build(const char* mode) {
  return {{"git_revision", "abc1234"}, {"isa", "aarch64"}, {"atomics_mode", mode}};
}

TEST(MachineDescription, AnArmRunShowsItsIsaAtomicsModeLseAndMidrOnThePageAndInMarkdown) {
  const report::Report r =
      report::build_report(make_run(two_rows(), false, {{"machine", arm_machine(true)}, {"build", arm_build("lse")}}));
  EXPECT_EQ(r.machine["isa"], "aarch64");
  EXPECT_EQ(r.machine["lse"], true);
  EXPECT_EQ(r.machine["midr"]["value"], "0x413fd0c1");
  EXPECT_EQ(r.machine["midr_source"], "sysfs");
  EXPECT_EQ(r.build["isa"], "aarch64");
  EXPECT_EQ(r.build["atomics_mode"], "lse");

  const auto rows = report::machine_description(r.machine, r.build);
  EXPECT_EQ(value_of(rows, "CPU"), "Arm Neoverse N1 (MIDR 0x413fd0c1, from sysfs)");
  const std::string isa = "aarch64 (atomics: lse; CPU has LSE: yes)";
  EXPECT_EQ(value_of(rows, "Instruction set"), isa);
  // The page and the markdown tables show the machine section (report.tex carries only the
  // result tables a paper copies, no machine section).
  EXPECT_TRUE(contains(report::render_html(r, {}, "."), isa));
  EXPECT_TRUE(contains(report::render_markdown(r, {}), isa));
  EXPECT_TRUE(contains(report::render_html(r, {}, "."), "MIDR 0x413fd0c1, from sysfs"));

  // Outline atomics on a CPU without LSE (a Graviton1-class Cortex-A72): they run LL/SC.
  const json without_lse = {{"machine", arm_machine(false)}, {"build", arm_build("outline")}};
  const report::Report outline = report::build_report(make_run(two_rows(), false, without_lse));
  EXPECT_EQ(value_of(report::machine_description(outline.machine, outline.build), "Instruction set"),
            "aarch64 (atomics: outline; CPU has LSE: no)");
}

TEST(MachineDescription, X86AndOlderRunsSayOnlyWhatTheyRecorded) {
  // x86-64: no LSE question, the CPU row as before.
  const json x86 = {{"cpu_model", "AMD EPYC 9654"}, {"vendor", "AuthenticAMD"}, {"isa", "x86_64"}, {"lse", nullptr},
                    {"midr", nullptr}, {"midr_source", nullptr}};
  const json lock = {{"isa", "x86_64"}, {"atomics_mode", "lock"}};
  const auto rows = report::machine_description(x86, lock);
  EXPECT_EQ(value_of(rows, "Instruction set"), "x86_64 (atomics: lock)");
  EXPECT_EQ(value_of(rows, "CPU"), "AMD EPYC 9654 (AuthenticAMD)");

  // A run from before issue 20: nothing recorded, nothing invented.
  const report::Report old = report::build_report(make_run(two_rows()));
  for (const char* k : {"isa", "lse", "midr", "midr_source"}) EXPECT_TRUE(old.machine[k].is_null()) << k;
  for (const char* k : {"isa", "atomics_mode"}) EXPECT_TRUE(old.build[k].is_null()) << k;
  const auto old_rows = report::machine_description(old.machine, old.build);
  EXPECT_EQ(value_of(old_rows, "Instruction set"), "not recorded");
  EXPECT_EQ(value_of(old_rows, "CPU"), "Test CPU");
  EXPECT_TRUE(contains(report::render_html(old, {}, "."), "not recorded"));

  // The build's ISA and mode but not yet the machine's LSE (rcbench at 3a88110).
  const json no_lse = {{"cpu_model", "unknown"}};
  EXPECT_EQ(value_of(report::machine_description(no_lse, arm_build("outline")), "Instruction set"),
            "aarch64 (atomics: outline; CPU has LSE: not recorded)");
  // Only the machine's ISA: the mode is not guessed from it.
  EXPECT_EQ(value_of(report::machine_description(json{{"isa", "aarch64"}, {"lse", true}}), "Instruction set"),
            "aarch64 (atomics: not recorded; CPU has LSE: yes)");
}

TEST(MachineDescription, AMidrWithoutItsValueIsDroppedAndAnUnknownPartShowsAsHex) {
  json machine = arm_machine(true);
  machine["midr"].erase("value");
  const report::Report r = report::build_report(make_run(two_rows(), false, {{"machine", machine}}));
  EXPECT_TRUE(r.machine["midr"].is_null());
  EXPECT_TRUE(r.machine["midr_source"].is_null());
  EXPECT_EQ(value_of(report::machine_description(r.machine, r.build), "CPU"), "Arm Neoverse N1 (Arm)");

  // No cpu_model: the MIDR's names, as the run recorded them.
  const json unknown_part = {{"midr", {{"value", "0x510f0012"}, {"implementer", 81}, {"implementer_name", "Qualcomm"},
                                       {"part", 1}, {"part_name", "part 0x001"}}},
                             {"midr_source", "mrs"}};
  EXPECT_EQ(value_of(report::machine_description(unknown_part), "CPU"),
            "Qualcomm part 0x001 (MIDR 0x510f0012, from mrs)");
}

TEST(Latex, EscapesTheSpecialCharactersAndTheReportsUnicode) {
  EXPECT_EQ(report::latex_escape("false_sharing 10% & #2"), "false\\_sharing 10\\% \\& \\#2");
  EXPECT_EQ(report::latex_escape("a\\b{c}$~^"), "a\\textbackslash{}b\\{c\\}\\$\\textasciitilde{}\\textasciicircum{}");
  EXPECT_EQ(report::latex_escape("0.2× [v] 1–2 — ≤"), "0.2$\\times$ {[}v{]} 1--2 --- $\\leq$");
  EXPECT_EQ(report::latex_escape("é<"), "?\\textless{}");
}

TEST(Latex, BooktabsTablesAreBalancedAndEscaped) {
  const std::string tex = report::render_latex(report::build_report(make_run(two_rows())));
  EXPECT_TRUE(contains(tex, "\\usepackage{booktabs}"));
  EXPECT_TRUE(contains(tex, "\\begin{document}"));
  EXPECT_TRUE(contains(tex, "\\end{document}"));
  const std::size_t tables = count(tex, "\\begin{tabular}");
  EXPECT_EQ(tables, 2u);  // one cost table and one interval table for l3 x2
  EXPECT_EQ(count(tex, "\\end{tabular}"), tables);
  EXPECT_EQ(count(tex, "\\begin{table}"), count(tex, "\\end{table}"));
  EXPECT_EQ(count(tex, "\\toprule"), tables);
  EXPECT_EQ(count(tex, "\\midrule"), tables);
  EXPECT_EQ(count(tex, "\\bottomrule"), tables);
  EXPECT_TRUE(contains(tex, "ns/op per thread, median {[}p10, p90{]}"));
  EXPECT_TRUE(contains(tex, "atomic {[}v{]} & shared & 4 {[}3.2, 4.8{]} & 2 {[}2, 2{]} & 0.2$\\times$ (raw)")) << tex;
  EXPECT_FALSE(contains(tex, "×"));  // no raw Unicode left for pdflatex to trip on
  EXPECT_FALSE(contains(tex, "gil_cpython"));  // every underscore escaped
  // Every row of every tabular has as many cells as its column spec.
  std::size_t at = 0;
  while ((at = tex.find("\\begin{tabular}{", at)) != std::string::npos) {
    const std::size_t spec_end = tex.find('}', at + 16);
    const std::size_t columns = spec_end - (at + 16);
    const std::size_t body_end = tex.find("\\bottomrule", at);
    std::size_t line_start = tex.find("\\toprule\n", at) + 9;
    while (line_start < body_end) {
      const std::size_t line_end = tex.find('\n', line_start);
      const std::string line = tex.substr(line_start, line_end - line_start);
      if (line != "\\midrule") {
        std::size_t amps = 0;
        for (std::size_t k = 0; k < line.size(); ++k) amps += line[k] == '&' && (k == 0 || line[k - 1] != '\\');
        EXPECT_EQ(amps + 1, columns) << line;
        EXPECT_TRUE(line.ends_with("\\\\")) << line;
      }
      line_start = line_end + 1;
    }
    at = spec_end;
  }
}

}  // namespace
