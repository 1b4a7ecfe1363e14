// The run-JSON loader: what it keeps, how it converts, and how it refuses bad input.
#include "run/run_json.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace {

using namespace rcbench::runjson;
using RunJson = rcbench::runjson::Run;  // gtest's Test::Run() hides a bare Run inside TEST bodies
const std::filesystem::path kRuns = std::filesystem::path(RCBENCH_TEST_DATA_DIR) / "runs";

// The smallest valid run: one benchmark, entries given by the caller.
std::string run_text(const std::string& entries, const std::string& rcbench = R"({"format":"rcbench-run","format_version":1})") {
  return R"({"context":{"num_cpus":2},"benchmarks":[)" + entries + R"(],"rcbench":)" + rcbench + "}";
}

std::string entry(const std::string& run_name, int rep, const std::string& extra = "") {
  return R"({"name":")" + run_name + R"(","run_name":")" + run_name + R"(","run_type":"iteration",)" +
         R"("repetitions":2,"repetition_index":)" + std::to_string(rep) +
         R"(,"threads":2,"iterations":100,"real_time":5.0,"cpu_time":10.0,"time_unit":"ns")" + extra + "}";
}

const std::string kName = "refcount/atomic/shared/placement:l3/real_time/threads:2";

std::string error_of(const std::string& text) {
  try {
    (void)parse_run(text, "test.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(RunJson, LoadsTheSyntheticFixture) {
  const RunJson run = load_run(kRuns / "two-vcpu-synthetic.json");
  // 44 refcount benchmarks + 2 calibration rows; aggregates are not benchmarks.
  EXPECT_EQ(run.benchmarks.size(), 46u);
  EXPECT_EQ(run.context.at("num_cpus"), 2);
  EXPECT_EQ(run.rcbench.at("format_version"), 1);

  const Benchmark* b = run.find("refcount/atomic/shared/placement:l3/real_time/threads:2");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->reps.size(), 5u) << "aggregates (mean/median/stddev/cv) must be ignored";
  EXPECT_EQ(b->name.strategy, "atomic");
  EXPECT_EQ(b->meta.at("placement_class"), "l3");
  EXPECT_DOUBLE_EQ(b->reps[3].counters.at("ns_per_op_thread"), 7.0);
  EXPECT_DOUBLE_EQ(b->reps[3].real_time_ns, 7000.0);
  EXPECT_EQ(b->reps[3].index, 3);
  EXPECT_EQ(b->reps[3].iterations, 40000);
  EXPECT_FALSE(b->reps[0].has("real_time")) << "Google Benchmark's fields are not counters";
  EXPECT_FALSE(b->reps[0].has("repetitions"));

  // A null in the file (GB's NaN) makes that counter absent, not zero.
  const Benchmark* gil = run.find("refcount/gil_cpython/shared/placement:l3/real_time/threads:2");
  ASSERT_NE(gil, nullptr);
  EXPECT_FALSE(gil->reps[1].has("t1_ns_per_op"));
  EXPECT_EQ(gil->values("t1_ns_per_op").size(), 4u);
  EXPECT_EQ(gil->values("ns_per_op_thread").size(), 5u);
  EXPECT_TRUE(gil->values("no_such_counter").empty());

  EXPECT_EQ(run.find("refcount/atomic/shared/placement:l3/real_time/threads:2_mean"), nullptr);
}

TEST(RunJson, ReadsARawGoogleBenchmarkFileWithBareNaN) {
  // Written by the real Google Benchmark 1.7.1: bare NaN tokens, no "rcbench" object.
  const RunJson run = load_run(kRuns / "raw-gb171-nan.json");
  EXPECT_TRUE(run.rcbench.is_null());
  ASSERT_EQ(run.benchmarks.size(), 1u);
  const Benchmark& b = run.benchmarks[0];
  EXPECT_EQ(b.reps.size(), 2u);
  EXPECT_FALSE(b.reps[0].has("papi:x")) << "NaN must become an absent counter";
  EXPECT_TRUE(b.reps[0].has("ops"));
  EXPECT_TRUE(b.meta.is_null());
}

TEST(RunJson, SanitizerReplacesNonFiniteTokensOutsideStringsOnly) {
  EXPECT_EQ(sanitize_non_finite(R"({"a": NaN, "b": -Infinity, "c": Infinity, "d": -nan, "e": inf})"),
            R"({"a": null, "b": null, "c": null, "d": null, "e": null})");
  EXPECT_EQ(sanitize_non_finite(R"({"NaN": "Infinity -nan", "x\"NaN": true, "y": false, "z": null, "w": -1.5e-3})"),
            R"({"NaN": "Infinity -nan", "x\"NaN": true, "y": false, "z": null, "w": -1.5e-3})");
  EXPECT_EQ(sanitize_non_finite(R"(["a\\", NaN])"), R"(["a\\", null])") << "an escaped backslash ends no string early";
}

TEST(RunJson, ConvertsTimeUnitsToNanoseconds) {
  std::string e = entry(kName, 0);
  e.replace(e.find(R"("time_unit":"ns")"), 16, R"("time_unit":"us")");
  const RunJson run = parse_run(run_text(e), "t");
  EXPECT_DOUBLE_EQ(run.benchmarks[0].reps[0].real_time_ns, 5000.0);
  e.replace(e.find(R"("time_unit":"us")"), 16, R"("time_unit":"ks")");
  EXPECT_NE(error_of(run_text(e)).find("unknown time_unit 'ks'"), std::string::npos);
}

TEST(RunJson, GroupsRepetitionsByRunNameInFileOrder) {
  const std::string other = "refcount/gil_cpython/shared/placement:l3/real_time/threads:2";
  const RunJson run = parse_run(run_text(entry(kName, 0, R"(,"ops":1.0)") + "," + entry(other, 0) + "," +
                                     entry(kName, 1, R"(,"ops":2.0)")),
                            "t");
  ASSERT_EQ(run.benchmarks.size(), 2u);
  EXPECT_EQ(run.benchmarks[0].run_name, kName);
  EXPECT_EQ(run.benchmarks[0].values("ops"), (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(run.benchmarks[1].name.strategy, "gil_cpython");
}

TEST(RunJson, FailedRepetitionsAreKeptAsErrorsNotFigures) {
  const RunJson run = parse_run(
      run_text(entry(kName, 0) + R"(,{"name":")" + kName + R"(","run_name":")" + kName +
               R"(","run_type":"iteration","repetition_index":1,"threads":2,"error_occurred":true,"error_message":"pinning failed"})"),
      "t");
  ASSERT_EQ(run.benchmarks[0].reps.size(), 1u);
  ASSERT_EQ(run.benchmarks[0].errors.size(), 1u);
  EXPECT_EQ(run.benchmarks[0].errors[0], "pinning failed");
}

TEST(RunJson, BadInputIsRefusedWithWhatAndWhere) {
  const std::string malformed = error_of(R"({"benchmarks": [ {"run_name": "x", } ]})");
  EXPECT_NE(malformed.find("test.json: not valid JSON at byte"), std::string::npos) << malformed;
  EXPECT_NE(malformed.find("line 1"), std::string::npos) << malformed;

  EXPECT_NE(error_of(R"({"context": {}})").find("no \"benchmarks\" array"), std::string::npos);
  EXPECT_NE(error_of(R"([1, 2])").find("not a JSON object"), std::string::npos);

  const std::string no_run_name = error_of(run_text(R"({"name":"x","run_type":"iteration","real_time":1})"));
  EXPECT_NE(no_run_name.find("benchmarks[0]: no \"run_name\""), std::string::npos) << no_run_name;

  const std::string junk = error_of(run_text(entry("BM_Foo/threads:2", 0)));
  EXPECT_NE(junk.find("benchmarks[0]"), std::string::npos) << junk;
  EXPECT_NE(junk.find("'BM_Foo/threads:2'"), std::string::npos) << junk;

  const std::string version = error_of(run_text(entry(kName, 0), R"({"format":"rcbench-run","format_version":2})"));
  EXPECT_NE(version.find("unknown rcbench.format_version 2"), std::string::npos) << version;
  EXPECT_NE(error_of(run_text(entry(kName, 0), R"({"format":"rcbench-run"})")).find("format_version is missing"),
            std::string::npos);
  EXPECT_NE(error_of(run_text(entry(kName, 0), R"({"format":"other","format_version":1})")).find("rcbench.format"),
            std::string::npos);

  std::string disagree = entry(kName, 0);
  disagree.replace(disagree.find(R"("threads":2)"), 11, R"("threads":4)");
  EXPECT_NE(error_of(run_text(disagree)).find("disagrees with the name"), std::string::npos);

  std::string no_time = entry(kName, 0);
  no_time.replace(no_time.find(R"("real_time":5.0)"), 15, R"("real_time":null)");
  EXPECT_NE(error_of(run_text(no_time)).find("real_time is missing"), std::string::npos);
}

TEST(RunJson, MissingFileIsAnInputError) {
  try {
    (void)load_run(kRuns / "does-not-exist.json");
    FAIL() << "loaded a missing file";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
  }
}

}  // namespace
