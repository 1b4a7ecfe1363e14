// The report directory: written whole or not at all, never over an existing one
// without --force, plots optional, report.json valid against its schema.
#include "report/write_report.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace rcbench;

const fs::path kRuns = fs::path(RCBENCH_TEST_DATA_DIR) / "runs";
const fs::path kSource = RCBENCH_SOURCE_DIR;

class ReportOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() / ("rcbench-report-test-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  report::WriteOptions options(const std::string& dir, std::set<report::Format> formats = report::all_formats()) {
    report::WriteOptions o;
    o.out_dir = root_ / dir;
    o.formats = std::move(formats);
    o.plots.script = kSource / "scripts" / "plot_report.py";
    return o;
  }

  // Everything in root_ (to prove no staging directory was left behind).
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(root_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path root_;
};

// One full report (plots included: matplotlib takes seconds on a small VM) checked
// for every format, the schema, the CSV and the plots.
TEST_F(ReportOutput, WritesEveryFormatPlotsAndASchemaValidJson) {
  const auto result = report::report_file(kRuns / "two-vcpu-synthetic.json", options("rep"));
  const fs::path dir = root_ / "rep";
  EXPECT_EQ(result.out_dir, dir);
  for (const char* f : {"report.json", "tables.md", "tables.csv", "report.html", report::kReportMarker})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  EXPECT_EQ(entries(), (std::vector<std::string>{"rep"}));

  // Schema validation and CSV parsing with Python's jsonschema and csv modules.
  const std::string cmd = "/usr/bin/python3 " + (kSource / "tests" / "report" / "check_report_files.py").string() + " " +
                          (kSource / "docs" / "schemas" / "report.schema.json").string() + " " + dir.string();
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;

  if (std::system("/usr/bin/python3 -c 'import matplotlib' 2>/dev/null") == 0) {
    EXPECT_TRUE(result.notes.empty()) << result.notes[0];
    EXPECT_TRUE(fs::exists(dir / "plots" / "throughput.svg"));
    EXPECT_TRUE(fs::exists(dir / "plots" / "ratio_to_gil.png"));
    EXPECT_TRUE(fs::exists(dir / "plots" / "c2c_latency.svg")) << "the fixture has a ping-pong matrix";
    EXPECT_NE(read(dir / "report.html").find("<svg"), std::string::npos) << "plots are inlined";
  } else {
    ASSERT_FALSE(result.notes.empty());
    EXPECT_NE(result.notes[0].find("matplotlib not available"), std::string::npos);
  }
}

// An aarch64 run's report (issue 20: ISA, atomics mode, LSE, MIDR) is valid against the
// schema: the fixture with the Arm facts a Graviton2 run records.
TEST_F(ReportOutput, AnArmRunsReportIsSchemaValid) {
  nlohmann::json run = nlohmann::json::parse(read(kRuns / "two-vcpu-synthetic.json"));
  run["rcbench"]["build"]["isa"] = "aarch64";
  run["rcbench"]["build"]["atomics_mode"] = "outline";
  nlohmann::json& m = run["rcbench"]["machine"];
  m["cpu_model"] = "Arm Neoverse N1";
  m["vendor"] = "Arm";
  m["cpu_family"] = nullptr;
  m["cpu_model_number"] = nullptr;
  m["isa"] = "aarch64";
  m["lse"] = true;
  m["midr"] = {{"value", "0x413fd0c1"}, {"implementer", 65}, {"implementer_name", "Arm"}, {"part", 3340},
               {"part_name", "Neoverse N1"}, {"variant", 3}, {"revision", 1}};
  m["midr_source"] = "cpuinfo";
  const fs::path input = root_ / "arm-run.json";
  std::ofstream(input) << run.dump();
  report::report_file(input, options("rep", {report::Format::json, report::Format::csv, report::Format::markdown}));
  const fs::path dir = root_ / "rep";
  const std::string cmd = "/usr/bin/python3 " + (kSource / "tests" / "report" / "check_report_files.py").string() + " " +
                          (kSource / "docs" / "schemas" / "report.schema.json").string() + " " + dir.string();
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const nlohmann::json report = nlohmann::json::parse(read(dir / "report.json"));
  EXPECT_EQ(report["machine"]["midr"]["value"], "0x413fd0c1");
  EXPECT_EQ(report["build"]["atomics_mode"], "outline");
  EXPECT_NE(read(dir / "tables.md").find("aarch64 (atomics: outline; CPU has LSE: yes)"), std::string::npos);
}

TEST_F(ReportOutput, MissingMatplotlibStillCompletesTheReport) {
  // A matplotlib package that fails to import, first on the Python path.
  const fs::path fake = root_ / "fake-site";
  fs::create_directories(fake / "matplotlib");
  std::ofstream(fake / "matplotlib" / "__init__.py") << "raise ImportError('no matplotlib here (test)')\n";
  const char* old = std::getenv("PYTHONPATH");
  const std::string saved = old ? old : "";
  ::setenv("PYTHONPATH", fake.c_str(), 1);
  const auto result = report::report_file(kRuns / "two-vcpu-synthetic.json", options("rep"));
  if (old) ::setenv("PYTHONPATH", saved.c_str(), 1); else ::unsetenv("PYTHONPATH");

  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_NE(result.notes[0].find("plots skipped: matplotlib not available (no matplotlib here (test))"), std::string::npos)
      << result.notes[0];
  EXPECT_TRUE(fs::exists(root_ / "rep" / "report.html"));
  EXPECT_NE(read(root_ / "rep" / "report.html").find("plots skipped: matplotlib not available"), std::string::npos);
  EXPECT_NE(read(root_ / "rep" / "tables.md").find("plots skipped"), std::string::npos);
}

TEST_F(ReportOutput, UnrunnablePythonStillCompletesTheReport) {
  auto o = options("rep");
  o.plots.python = (root_ / "no-such-python").string();
  const auto result = report::report_file(kRuns / "two-vcpu-synthetic.json", o);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_NE(result.notes[0].find("plots skipped: cannot run"), std::string::npos) << result.notes[0];
  EXPECT_FALSE(fs::exists(root_ / "rep" / "plots"));
}

TEST_F(ReportOutput, OnlyTheRequestedFormats) {
  report::report_file(kRuns / "two-vcpu-synthetic.json", options("rep", {report::Format::csv}));
  EXPECT_TRUE(fs::exists(root_ / "rep" / "tables.csv"));
  EXPECT_FALSE(fs::exists(root_ / "rep" / "report.json"));
  EXPECT_FALSE(fs::exists(root_ / "rep" / "tables.md"));
  EXPECT_FALSE(fs::exists(root_ / "rep" / "plots"));
}

TEST_F(ReportOutput, BadInputLeavesNothingBehind) {
  for (const char* bad : {"malformed.json", "missing-baseline.json", "unknown-version.json"}) {
    EXPECT_THROW(report::report_file(kRuns / bad, options("rep")), runjson::InputError) << bad;
    EXPECT_TRUE(entries().empty()) << bad;
  }
}

TEST_F(ReportOutput, RefusesToOverwriteWithoutForce) {
  report::report_file(kRuns / "two-vcpu-synthetic.json", options("rep", {report::Format::markdown}));
  const std::string before = read(root_ / "rep" / "tables.md");
  try {
    report::report_file(kRuns / "two-vcpu-synthetic.json", options("rep", {report::Format::csv}));
    FAIL() << "overwrote an existing report";
  } catch (const report::OutputExists& e) {
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read(root_ / "rep" / "tables.md"), before);
  EXPECT_FALSE(fs::exists(root_ / "rep" / "tables.csv"));
  EXPECT_EQ(entries(), (std::vector<std::string>{"rep"}));
}

TEST_F(ReportOutput, ForceReplacesAReportWhole) {
  report::report_file(kRuns / "two-vcpu-synthetic.json", options("rep", {report::Format::markdown}));
  auto o = options("rep", {report::Format::csv});
  o.force = true;
  report::report_file(kRuns / "two-vcpu-synthetic.json", o);
  EXPECT_TRUE(fs::exists(root_ / "rep" / "tables.csv"));
  EXPECT_FALSE(fs::exists(root_ / "rep" / "tables.md")) << "the old report is replaced, not merged";
  EXPECT_EQ(entries(), (std::vector<std::string>{"rep"})) << "no .tmp or .old directory left";
}

TEST_F(ReportOutput, ForceNeverReplacesAFolderThatIsNotAReport) {
  fs::create_directories(root_ / "precious");
  std::ofstream(root_ / "precious" / "thesis.tex") << "years of work\n";
  auto o = options("precious", {report::Format::csv});
  o.force = true;
  EXPECT_THROW(report::report_file(kRuns / "two-vcpu-synthetic.json", o), report::OutputExists);
  EXPECT_TRUE(fs::exists(root_ / "precious" / "thesis.tex"));
  EXPECT_EQ(entries(), (std::vector<std::string>{"precious"}));
}

TEST_F(ReportOutput, StagingIsRemovedWhenNotCommitted) {
  {
    report::StagedDirectory staged(root_ / "rep", false);
    report::write_file(staged.path() / "half.txt", "half-written");
    EXPECT_TRUE(fs::exists(staged.path()));
  }  // an exception between staging and commit ends here too
  EXPECT_TRUE(entries().empty());
}

TEST_F(ReportOutput, DefaultDirectoryIsBesideTheRun) {
  EXPECT_EQ(report::default_out_dir("/data/runs/lab-42.json"), fs::path("/data/runs/lab-42.report"));
}

TEST(ReportFormats, ParsesTheListAndRefusesUnknownNames) {
  EXPECT_EQ(report::parse_formats("json, md"), (std::set<report::Format>{report::Format::json, report::Format::markdown}));
  EXPECT_EQ(report::parse_formats("all"), report::all_formats());
  try {
    report::parse_formats("json,pdf");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'pdf'"), std::string::npos);
  }
}

}  // namespace
