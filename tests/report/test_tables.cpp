// Tables: the cells a reader sees, the statistic each table names, CSV shape and
// quoting, and an HTML page that needs nothing from outside.
#include "report/format.hpp"
#include "report/report_model.hpp"
#include "report/tables.hpp"
#include "run_builder.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

namespace {

using namespace rcbench;
using rcbench::testing::BenchSpec;
using rcbench::testing::make_run;
using rcbench::testing::rep;

const std::string kAtomic = "refcount/atomic/shared/placement:l3/real_time/threads:2";

report::Report hand_made(bool with_papi = false, bool noisy = false) {
  std::vector<BenchSpec> specs = {
      {"refcount/gil_cpython/private/placement:single/real_time/threads:1", {rep(0.6, 0.6), rep(0.6, 0.6), rep(0.6, 0.6)}},
      {kAtomic, {rep(4, 2), rep(4, 2), rep(4, 2)}},
      {"refcount/gil_cpython/shared/placement:l3/real_time/threads:2", {rep(10, 10), rep(10, 10), rep(10, 10)}},
      {"refcount/atomic/mixed/shared_pct:10/placement:l3/real_time/threads:2", {rep(3, 1.5), rep(3, 1.5), rep(3, 1.5)}},
      {"refcount/gil_cpython/mixed/shared_pct:10/placement:l3/real_time/threads:2", {rep(1, 1), rep(1, 1), rep(1, 1)}},
  };
  if (with_papi)
    for (auto& c : specs[1].reps) c["papi:RETIRED_LOCK_INSTRUCTIONS"] = 2 * c["ops"];
  if (noisy) specs[1].reps = {rep(4, 2), rep(6, 3), rep(4, 2)};
  return report::build_report(make_run(specs));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Format, SignificantDigitsAndUnits) {
  EXPECT_EQ(report::format::sig(2.1), "2.1");
  EXPECT_EQ(report::format::sig(0.05123), "0.0512");
  EXPECT_EQ(report::format::sig(999.7), "1000");
  EXPECT_EQ(report::format::sig(12345.6), "12346");
  EXPECT_EQ(report::format::si(1.67e9), "1.67 G");
  EXPECT_EQ(report::format::si(412e6), "412 M");
  EXPECT_EQ(report::format::si(950), "950");
  EXPECT_EQ(report::format::ns(2.1), "2.1 ns");
  EXPECT_EQ(report::format::ratio(0.2), "0.2×");
  EXPECT_EQ(report::format::ratio(3.846), "3.8×");
}

TEST(Tables, MainTableCellsShowPerThreadNsAndTheGilRatio) {
  const std::string md = report::render_markdown(hand_made(), {});
  // Main table for l3 x2: atomic row, shared column "4 ns (0.2×)", mixed "3 ns (1.5×)".
  EXPECT_TRUE(contains(md, "**placement l3, 2 threads — raw ns/op per thread (not corrected: no null row in this run)**")) << md;
  EXPECT_TRUE(contains(md, "| strategy | shared | mixed (shared_pct=10) |")) << md;
  EXPECT_TRUE(contains(md, "| atomic | 4 ns (0.2×) | 3 ns (1.5×) |")) << md;
  EXPECT_TRUE(contains(md, "| gil_cpython | 10 ns (1×) | 1 ns (1×) |")) << md;
  // Each table says which statistic it shows and why.
  EXPECT_TRUE(contains(md, "the median, over the repetitions used, of ns per op per thread"));
  EXPECT_TRUE(contains(md, "because a GIL's point is aggregate throughput"));
  // Scaling: ops/s total, 1e9 / 2 ns = 500 M.
  EXPECT_TRUE(contains(md, "| strategy | 2 × l3 |")) << md;
  EXPECT_TRUE(contains(md, "| atomic | 500 Mops/s |")) << md;
}

// Strings from the run JSON are not ours: Markdown renderers pass raw HTML through.
TEST(Tables, MarkdownCarriesNoHtmlFromTheRunJson) {
  report::Report r = hand_made();
  r.machine["cpu_model"] = "<script>alert(1)</script>";
  r.caveats.push_back("file <img src=x onerror=alert(2)> and p < 0.05");
  const std::string md = report::render_markdown(r, {});
  EXPECT_FALSE(contains(md, "<script>")) << md;
  EXPECT_FALSE(contains(md, "<img")) << md;
  EXPECT_TRUE(contains(md, "&lt;script>alert(1)&lt;/script>")) << md;
  EXPECT_TRUE(contains(md, "p < 0.05")) << md;
}

TEST(Tables, SuspectCellsCarryAMarkerAndTheLegendSaysWhy) {
  const std::string md = report::render_markdown(hand_made(false, /*noisy=*/true), {});
  EXPECT_TRUE(contains(md, "4 ns (0.2×) [v]")) << md;
  EXPECT_TRUE(contains(md, "[v] high variance over repetitions")) << md;
  EXPECT_FALSE(contains(report::render_markdown(hand_made(), {}), "[v]"));
}

TEST(Tables, HardwareCountersTableOrTheReasonsTheyAreMissing) {
  const std::string with = report::render_markdown(hand_made(true), {});
  EXPECT_TRUE(contains(with, "| row | RETIRED_LOCK_INSTRUCTIONS |")) << with;
  EXPECT_TRUE(contains(with, "| atomic · shared · l3 ×2 | 2 |")) << with;

  const auto run = runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "two-vcpu-synthetic.json");
  const std::string without = report::render_markdown(report::build_report(run), {});
  EXPECT_TRUE(contains(without, "No hardware or software performance event was counted"));
  EXPECT_TRUE(contains(without, "RETIRED_LOCK_INSTRUCTIONS unavailable: PAPI_ENOEVNT"));
  // Calibration, modes and caveats are there too.
  EXPECT_TRUE(contains(without, "| l3 | l3 | 0-1 | 54.9 | 55.3 | 3 |")) << without;
  EXPECT_TRUE(contains(without, "| l3 | 0-1 | 1 | 241 [238–244] | 1 | 1% |")) << without;
  EXPECT_TRUE(contains(without, "Virtual machine (cpuid hypervisor bit set"));
}

TEST(Tables, CsvHasOneRowPerRecordAndQuotesCommas) {
  const auto run = runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "two-vcpu-synthetic.json");
  const report::Report r = report::build_report(run);
  const std::string csv = report::render_csv(r);
  std::istringstream in(csv);
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("run_name,strategy,workload,params,placement,placement_class,pus,threads,", 0), 0u) << header;
  EXPECT_TRUE(contains(header, ",ratio_to_gil,ratio_to_gil_lock,ratio_to_plain_single,"));
  std::size_t rows = 0;
  while (std::getline(in, line)) ++rows;
  EXPECT_EQ(rows, r.records.size());
  // figures_from of the multimodal row has commas: the field is quoted.
  EXPECT_TRUE(contains(csv, ",\"dominant mode 0 (56 ns [55-58], 3 of 5 reps)\",")) << csv.substr(0, 2000);
  // Missing values are empty cells, never "nan" or "null".
  for (const char* junk : {",nan", ",-nan", ",inf", ",null", ",None"})
    EXPECT_FALSE(contains(csv, junk)) << junk;
}

TEST(Tables, HtmlIsOneSelfContainedPage) {
  report::PlotOutcome plots;
  plots.requested = true;
  plots.notes.push_back("plots skipped: matplotlib not available (test)");
  const std::string html = report::render_html(hand_made(), plots, ".");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(contains(html, "<style>"));
  EXPECT_TRUE(contains(html, "\">4 ns (0.2×)</td>"));  // coloured by its ratio (test_report_page.cpp)
  EXPECT_TRUE(contains(html, "plots skipped: matplotlib not available (test)"));
  EXPECT_FALSE(contains(html, "<link"));
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_FALSE(contains(html, "src=\"http"));
  EXPECT_FALSE(contains(html, "url(http"));
}

TEST(Tables, HtmlEscapesText) {
  auto r = hand_made();
  r.caveats.push_back("a <b> & \"c\"");
  const std::string html = report::render_html(r, {}, ".");
  EXPECT_TRUE(contains(html, "a &lt;b&gt; &amp; &quot;c&quot;"));
}

TEST(Tables, MethodTwoTablesShowCorrectedThenRawAndForeignBesidePrivate) {
  const auto run = runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "two-vcpu-method2.json");
  const report::Report r = report::build_report(run);
  const std::string md = report::render_markdown(r, {});
  EXPECT_TRUE(contains(md, "**placement single (PUs 0), 1 thread — corrected ns/op per thread (raw − median of "
                           "calibration/overhead/placement:single/real_time/threads:1, 0.28 ns/op), raw in the next column**"))
      << md;
  EXPECT_TRUE(contains(md, "| strategy | private (corrected) | private (raw) | foreign (corrected) | foreign (raw) |"))
      << md;
  EXPECT_TRUE(contains(md, "| plain | 0.22 ns (0.69×) | 0.5 ns |")) << md;
  EXPECT_TRUE(contains(md, "no figure (5 of 5 reps left out)")) << md;
  EXPECT_TRUE(contains(md, "lost updates/increment")) << md;
  EXPECT_FALSE(contains(md, "drift (method 1")) << md;
  const std::string csv = report::render_csv(r);
  EXPECT_TRUE(contains(csv, ",ns_per_op_thread_corrected,ns_per_op_thread_median,")) << csv.substr(0, 800);
}

// Issue 16: the real interpreter's column and table, only for runs that have its rows.
report::Report cpython_fixture() {
  return report::build_report(
      runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "two-vcpu-cpython.json"));
}

TEST(Tables, RealInterpreterColumnBesideTheGilRatioWhereAWorkloadHasARealRow) {
  const std::string md = report::render_markdown(cpython_fixture(), {});
  EXPECT_TRUE(contains(md, "| strategy | private (corrected) | private (× real) | private (raw) |")) << md;
  // false_sharing has no real row: no column beside it.
  EXPECT_TRUE(contains(md, "| strategy | private | private (× real) | shared | shared (× real) | false_sharing (pad=64) |"))
      << md;
  EXPECT_TRUE(contains(md, "| atomic | 2.1 ns (0.88×) | 0.44× | 10 ns (3.8×) | 1.3× | 9.5 ns (3.8×) |")) << md;
  // The real eval row is a reference: after the GIL baselines, 1× against itself.
  EXPECT_TRUE(contains(md, "| gil_cpython | 0.4 ns (1×) | 0.33× | 0.6 ns |\n| cpython311_eval | 1.2 ns (3×) | 1× | 1.4 ns |"))
      << md;
  EXPECT_TRUE(contains(md, "× real: the same ratio against the real interpreter's row (cpython311_eval)")) << md;
  EXPECT_TRUE(contains(md, "| CPython (real-interpreter rows) | 3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]")) << md;
}

TEST(Tables, ModelVsRealTableSaysWhatTheRealRowIncludes) {
  const report::Report r = cpython_fixture();
  const std::string md = report::render_markdown(r, {});
  EXPECT_TRUE(contains(md, "## GIL model vs the real interpreter")) << md;
  EXPECT_TRUE(contains(md, "Py_INCREF/Py_DECREF on a real PyObject in the embedded CPython 3.11.2 under the real GIL "
                           "protocol, and calls a trivial Python function every 64 ops (rcbench.cpython.eval_every_ops)"))
      << md;
  EXPECT_TRUE(contains(md, "| workload | placement | threads | gil_cpython (model) | cpython311_eval (real) | model/real | figures |"))
      << md;
  EXPECT_TRUE(contains(md, "| private | single | 1 | 0.4 ns | 1.2 ns | 0.33× | corrected |")) << md;
  EXPECT_TRUE(contains(md, "| private | l3 | 2 | 1.2 ns | 2.4 ns | 0.5× | raw |")) << md;
  EXPECT_TRUE(contains(md, "| shared | l3 | 2 | 1.3 ns | 3.9 ns | 0.33× | raw |")) << md;
  EXPECT_TRUE(contains(report::render_html(r, {}, "."), "<section id=\"real_interpreter\">"));

  const std::string csv = report::render_csv(r);
  EXPECT_TRUE(contains(csv.substr(0, csv.find('\n')), ",ratio_to_gil_basis,baseline_real,ratio_to_real,ratio_to_real_basis,"))
      << csv.substr(0, 1500);
}

TEST(Tables, WithoutRealRowsThereIsNoRealColumnOrTable) {
  const auto run = runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "two-vcpu-method2.json");
  for (const report::Report& r : {hand_made(), report::build_report(run)}) {
    const std::string md = report::render_markdown(r, {});
    EXPECT_FALSE(contains(md, "× real")) << md;
    EXPECT_FALSE(contains(md, "real interpreter")) << md;
    EXPECT_FALSE(contains(md, "CPython (real-interpreter rows)")) << md;
    EXPECT_FALSE(contains(report::render_html(r, {}, "."), "real_interpreter"));
    EXPECT_FALSE(contains(report::render_csv(r), "ratio_to_real"));
  }
}

}  // namespace

namespace {

// Issue 17: a quick run inside the 2s-smt-2n virtual-lab guest (a NUMA node per socket),
// trimmed to its machine pair (tests/data/runs/trim_vlab_run.py): the shared object of
// that cross-node pair ran as mem:local and mem:remote, each with its own baselines.
report::Report vlab_mem_report() {
  return report::build_report(
      runjson::load_run(std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs" / "vlab-2s-smt-2n-mem.json"));
}

TEST(Tables, MemoryPlacementsAreColumnsAndLinesOfTheirOwnWithTheirOwnBaselines) {
  const report::Report r = vlab_mem_report();
  const report::Record* remote = r.find("refcount/atomic/shared/placement:machine/mem:remote/real_time/threads:2");
  ASSERT_NE(remote, nullptr);
  EXPECT_EQ(remote->name.mem, "remote");
  EXPECT_EQ(remote->baseline, "refcount/gil_cpython/shared/placement:machine/mem:remote/real_time/threads:2");
  EXPECT_TRUE(remote->ratio_to_gil.has_value());
  EXPECT_EQ(r.find("refcount/atomic/shared/placement:machine/real_time/threads:2"), nullptr)
      << "a pair on two nodes has no shared row without a memory placement";

  const std::string md = report::render_markdown(r, {});
  EXPECT_TRUE(contains(md, "| shared (mem=local) (corrected) | shared (mem=local) (× real) | shared (mem=local) (raw) "
                           "| shared (mem=remote) (corrected) |"))
      << md;
  EXPECT_TRUE(contains(md, "**workload shared (mem=remote): ops/s, total over threads**")) << md;
  EXPECT_TRUE(contains(md, "| atomic · shared (mem=local) · machine ×2 |")) << md;
  EXPECT_TRUE(contains(md, "| shared (mem=remote) | machine | 2 |")) << "GIL model vs real: " << md;

  const std::string csv = report::render_csv(r);
  EXPECT_EQ(csv.rfind("run_name,strategy,workload,params,placement,mem,placement_class,pus,threads,", 0), 0u);
  EXPECT_TRUE(contains(csv, "refcount/atomic/shared/placement:machine/mem:remote/real_time/threads:2,atomic,shared,,"
                            "machine,remote,machine,"))
      << csv.substr(0, 3000);

  const nlohmann::json j = report::to_json(r);
  std::set<std::string> mems;
  for (const auto& rec : j["records"]) mems.insert(rec["mem"].is_null() ? "null" : rec["mem"].get<std::string>());
  EXPECT_EQ(mems, (std::set<std::string>{"null", "local", "remote"}));
}

// Without such rows the CSV keeps its columns.
TEST(Tables, NoMemColumnWithoutMemoryPlacements) {
  EXPECT_EQ(report::render_csv(hand_made()).rfind("run_name,strategy,workload,params,placement,placement_class,", 0), 0u);
}

}  // namespace
