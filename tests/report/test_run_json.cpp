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
  const RunJson run = load_run(kRuns / "raw-gb171-nan.json", RcbenchSection::optional);
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
  EXPECT_NE(no_run_name.find("test.json: /benchmarks/0: no \"run_name\""), std::string::npos) << no_run_name;

  const std::string junk = error_of(run_text(entry("BM_Foo/threads:2", 0)));
  EXPECT_NE(junk.find("/benchmarks/0/run_name"), std::string::npos) << junk;
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

// Issue 13: each malformed input is an InputError naming the field by JSON pointer and
// the reason. error_of() catches only InputError: a library exception fails the test.
::testing::AssertionResult refused(const std::string& text, const std::string& pointer, const std::string& reason) {
  const std::string e = error_of(text);
  if (e.find("test.json: " + pointer + ":") != std::string::npos && e.find(reason) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "wanted '" << pointer << ": ..." << reason << "', got: " << e;
}

// The entry with one field replaced ("key":value as JSON text).
std::string entry_with(const std::string& key, const std::string& value, int rep = 0) {
  std::string e = entry(kName, rep);
  const std::size_t at = e.find("\"" + key + "\":");
  if (at == std::string::npos) return e.substr(0, e.size() - 1) + ",\"" + key + "\":" + value + "}";
  const std::size_t end = e.find_first_of(",}", at);
  return e.replace(at, end - at, "\"" + key + "\":" + value);
}

const std::string kRcbench = R"({"format":"rcbench-run","format_version":1)";

TEST(RunJson, AFieldOfTheWrongTypeIsRefusedByPointer) {
  EXPECT_TRUE(refused(run_text(entry(kName, 0), kRcbench + R"(,"profile":5})"), "/rcbench/profile",
                      "expected a string, got the number 5"));
}

TEST(RunJson, ANumberBeyondADoubleIsRefusedByPointer) {
  // nlohmann throws out_of_range (not parse_error) for these: it must not leak.
  EXPECT_TRUE(refused(run_text(entry_with("real_time", "1e9999")), "/benchmarks/0/real_time", "1e9999 is out of range"));
  EXPECT_TRUE(refused(run_text(entry_with("ops", "-1e9999")), "/benchmarks/0/ops", "out of range"));
  EXPECT_TRUE(refused(run_text(entry(kName, 0), kRcbench + R"(,"environment":{"start":{"steal_ticks":1E400}}})"),
                      "/rcbench/environment/start/steal_ticks", "out of range"));
  // A finite time that overflows when converted to ns.
  std::string seconds = entry_with("real_time", "1e300");
  seconds.replace(seconds.find(R"("time_unit":"ns")"), 16, R"("time_unit":"s")");
  EXPECT_TRUE(refused(run_text(seconds), "/benchmarks/0/real_time", "overflows"));
}

TEST(RunJson, ANegativeTimeIsRefused) {
  EXPECT_TRUE(refused(run_text(entry_with("real_time", "-5")), "/benchmarks/0/real_time", "a time must be > 0"));
  EXPECT_TRUE(refused(run_text(entry_with("ns_per_op_thread", "-5")), "/benchmarks/0/ns_per_op_thread",
                      "a time must be > 0"));
}

// A string where a counter's name promises a number would silently drop the figure.
TEST(RunJson, ACounterThatIsNotANumberIsRefused) {
  EXPECT_TRUE(refused(run_text(entry_with("ns_per_op_thread", R"("slow")")), "/benchmarks/0/ns_per_op_thread",
                      "expected a number"));
  EXPECT_TRUE(refused(run_text(entry_with("t0_pu", "[]")), "/benchmarks/0/t0_pu", "expected a number"));
}

TEST(RunJson, AZeroTimeIsRefused) {
  EXPECT_TRUE(refused(run_text(entry_with("real_time", "0")), "/benchmarks/0/real_time", "a time must be > 0"));
  EXPECT_TRUE(refused(run_text(entry_with("probe_before_ns", "0.0")), "/benchmarks/0/probe_before_ns",
                      "a time must be > 0"));
}

TEST(RunJson, IterationsMustBeAPositiveInteger) {
  EXPECT_TRUE(refused(run_text(entry_with("iterations", "-1")), "/benchmarks/0/iterations", "out of range"));
  EXPECT_TRUE(refused(run_text(entry_with("iterations", "0")), "/benchmarks/0/iterations", "out of range"));
  EXPECT_TRUE(refused(run_text(entry_with("iterations", "2.5")), "/benchmarks/0/iterations", "not an integer"));
  EXPECT_TRUE(refused(run_text(entry_with("iterations", "1e300")), "/benchmarks/0/iterations", "out of range"));
  EXPECT_TRUE(refused(run_text(entry_with("iterations", R"("100")")), "/benchmarks/0/iterations",
                      "expected an integer"));
}

TEST(RunJson, AnUnknownTimeUnitIsRefusedByPointer) {
  EXPECT_TRUE(refused(run_text(entry_with("time_unit", R"("ks")")), "/benchmarks/0/time_unit",
                      "unknown time_unit 'ks'"));
  // Not silently read as ns.
  EXPECT_TRUE(refused(run_text(entry_with("time_unit", "5")), "/benchmarks/0/time_unit", "expected a string"));
}

TEST(RunJson, ARunWithoutRepetitionsIsRefused) {
  EXPECT_TRUE(refused(run_text(""), "/benchmarks", "no repetition entries"));
  const std::string aggregate_only =
      R"({"name":"x_mean","run_name":")" + kName + R"(","run_type":"aggregate","aggregate_name":"mean"})";
  EXPECT_TRUE(refused(run_text(aggregate_only), "/benchmarks", "no repetition entries"));
}

TEST(RunJson, TheRcbenchSectionIsRequiredUnlessAskedOtherwise) {
  const std::string raw = R"({"context":{"num_cpus":2},"benchmarks":[)" + entry(kName, 0) + "]}";
  EXPECT_TRUE(refused(raw, "/rcbench", "no \"rcbench\" object"));
  EXPECT_TRUE(refused(run_text(entry(kName, 0), "null"), "/rcbench", "no \"rcbench\" object"));
  EXPECT_TRUE(refused(run_text(entry(kName, 0), "[]"), "/rcbench", "expected an object"));
  EXPECT_EQ(parse_run(raw, "t", RcbenchSection::optional).benchmarks.size(), 1u);
}

TEST(RunJson, ADuplicateRepetitionIsRefused) {
  // One repetition copied: it would count twice as a sample in compare.
  EXPECT_TRUE(refused(run_text(entry(kName, 0) + "," + entry(kName, 1) + "," + entry(kName, 0)),
                      "/benchmarks/2/repetition_index", "repetition 0 of '" + kName + "' is also /benchmarks/0"));
  // A failed repetition and a figure for the same one contradict each other.
  const std::string failed = R"({"run_name":")" + kName +
                             R"(","run_type":"iteration","repetition_index":0,"error_occurred":true,"error_message":"x"})";
  EXPECT_TRUE(refused(run_text(failed + "," + entry(kName, 0)), "/benchmarks/1/repetition_index", "is also"));
  EXPECT_TRUE(refused(run_text(entry_with("repetition_index", "-1")), "/benchmarks/0/repetition_index",
                      "out of range"));
}

TEST(RunJson, WrongTypesOfNestedFieldsAreRefusedByPointer) {
  struct Case {
    std::string rcbench_fields, pointer, reason;
  };
  const Case cases[] = {
      {R"("machine":{"virtual":{"evidence":["cpuid",5]}})", "/rcbench/machine/virtual/evidence/1", "expected a string"},
      {R"("machine":{"virtual":{"is_virtual":"yes"}})", "/rcbench/machine/virtual/is_virtual", "expected true or false"},
      {R"("machine":{"topology":{"pus":1e300}})", "/rcbench/machine/topology/pus", "out of range"},
      {R"("machine":[])", "/rcbench/machine", "expected an object"},
      {R"("build":{"git_revision":5})", "/rcbench/build/git_revision", "expected a string"},
      // Issue 20's Arm facts: null is "not known" (lse off aarch64, no MIDR), a wrong type is refused.
      {R"("build":{"atomics_mode":1})", "/rcbench/build/atomics_mode", "expected a string"},
      {R"("machine":{"isa":["aarch64"]})", "/rcbench/machine/isa", "expected a string"},
      {R"("machine":{"lse":"yes"})", "/rcbench/machine/lse", "expected true or false"},
      {R"("machine":{"midr":"0x413fd0c1"})", "/rcbench/machine/midr", "expected an object"},
      {R"("machine":{"midr":{"value":1094709441}})", "/rcbench/machine/midr/value", "expected a string"},
      {R"("machine":{"midr":{"value":"0x413fd0c1","part":-1}})", "/rcbench/machine/midr/part", "out of range"},
      {R"("benchmarks":[{"name":"a","pinned":"no"}])", "/rcbench/benchmarks/0/pinned", "expected true or false"},
      {R"("benchmarks":[{"name":"a","pus":[0,-1]}])", "/rcbench/benchmarks/0/pus/1", "out of range"},
      {R"("benchmarks":[{"name":5}])", "/rcbench/benchmarks/0/name", "expected a string"},
      {R"("benchmarks":[{"name":"a","baseline":null}])", "/rcbench/benchmarks/0/baseline", "expected a string"},
      {R"("environment":{"end":{"loadavg_1m":"high"}})", "/rcbench/environment/end/loadavg_1m", "expected a number"},
      {R"("environment":{"steal_ticks_start":-3})", "/rcbench/environment/steal_ticks_start", "must be >= 0"},
      {R"("perf":{"events":[{"name":"x","available":1}]})", "/rcbench/perf/events/0/available", "expected true or false"},
      {R"("calibration":{"pingpong_matrix":{"one_way_ns":[[null,-2]]}})",
       "/rcbench/calibration/pingpong_matrix/one_way_ns/0/1", "must be > 0"},
  };
  for (const Case& c : cases)
    EXPECT_TRUE(refused(run_text(entry(kName, 0), kRcbench + "," + c.rcbench_fields + "}"), c.pointer, c.reason));

  const std::string with_context = run_text(entry(kName, 0));
  std::string context = with_context;
  context.replace(context.find(R"("num_cpus":2)"), 12, R"("num_cpus":"two")");
  EXPECT_TRUE(refused(context, "/context/num_cpus", "expected an integer"));
  EXPECT_TRUE(refused(run_text(entry_with("threads", "2.0e300")), "/benchmarks/0/threads", "out of range"));
  EXPECT_TRUE(refused(run_text(entry_with("repetition_index", R"("0")")), "/benchmarks/0/repetition_index",
                      "expected an integer"));
  EXPECT_TRUE(refused(run_text(entry_with("t0_pu", "1e300")), "/benchmarks/0/t0_pu", "out of range"));
  EXPECT_TRUE(refused(run_text(entry_with("error_occurred", R"("yes")")), "/benchmarks/0/error_occurred",
                      "expected true or false"));
  EXPECT_TRUE(refused(run_text(entry_with("run_type", R"("median")")), "/benchmarks/0/run_type", "unknown run_type"));
}

TEST(RunJson, ArmMachineFactsAndTheirNullsAreAccepted) {
  const std::string arm = R"("build":{"git_revision":"x","isa":"aarch64","atomics_mode":"lse"},)"
                          R"("machine":{"isa":"aarch64","lse":true,"midr_source":"sysfs","midr":{"value":"0x413fd0c1",)"
                          R"("implementer":65,"implementer_name":"Arm","part":3340,"part_name":"Neoverse N1",)"
                          R"("variant":3,"revision":1}})";
  const RunJson run = parse_run(run_text(entry(kName, 0), kRcbench + "," + arm + "}"), "t");
  EXPECT_EQ(run.rcbench["machine"]["midr"]["part"], 3340);
  const std::string x86 = R"("machine":{"isa":"x86_64","lse":null,"midr":null,"midr_source":null})";
  const RunJson x86_run = parse_run(run_text(entry(kName, 0), kRcbench + "," + x86 + "}"), "t");
  EXPECT_TRUE(x86_run.rcbench["machine"]["lse"].is_null());
}

TEST(RunJson, AbsurdNestingIsRefusedBeforeItReachesTheStack) {
  // nlohmann copies and dumps values recursively: a context nested 100,000 deep would
  // overflow the stack when the Run is built.
  const std::size_t depth = 100000;
  const std::string deep = std::string(depth, '[') + std::string(depth, ']');
  std::string text = run_text(entry(kName, 0));
  text.replace(text.find(R"({"num_cpus":2})"), 14, R"({"caches":)" + deep + "}");
  const std::string e = error_of(text);
  EXPECT_EQ(e.rfind("test.json: /context/caches/0/0/", 0), 0u) << e;
  EXPECT_NE(e.find("nested deeper than"), std::string::npos) << e;
}

TEST(RunJson, MissingFileIsAnInputError) {
  try {
    (void)load_run(kRuns / "does-not-exist.json");
    FAIL() << "loaded a missing file";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
  }
}

// Issue 14: rcbench.method_version (absent: 1), its type, and the new counters.
TEST(RunJson, MethodVersionIsReadAndAbsentMeansOne) {
  EXPECT_EQ(parse_run(run_text(entry(kName, 0)), "t.json").method_version, 1);
  const RunJson two = parse_run(
      run_text(entry(kName, 0), R"({"format":"rcbench-run","format_version":1,"method_version":2,"probe_method":"two_line"})"),
      "t.json");
  EXPECT_EQ(two.method_version, 2);
  for (const char* bad : {"0", "-1", "\"2\"", "1.5", "null", "true"}) {
    const std::string e = error_of(run_text(
        entry(kName, 0), std::string(R"({"format":"rcbench-run","format_version":1,"method_version":)") + bad + "}"));
    EXPECT_NE(e.find("test.json: /rcbench/method_version: "), std::string::npos) << bad << ": " << e;
  }
  const std::string probe = error_of(
      run_text(entry(kName, 0), R"({"format":"rcbench-run","format_version":1,"probe_method":5})"));
  EXPECT_NE(probe.find("/rcbench/probe_method"), std::string::npos) << probe;
}

TEST(RunJson, MethodTwoCountersLoadAndOverlapIsAShare) {
  const RunJson run = parse_run(
      run_text(entry(kName, 0, R"(,"ops":2e6,"window_ns":1.2e7,"ns_per_op_thread":6.0,"ns_per_op_total":3.0,)"
                               R"("cpu_ns_per_op_thread":5.9,"overlap":0.995,"lost_updates_per_increment":0.25,)"
                               R"("premature_last_per_op":0.0)")),
      "t.json");
  const Repetition& rep = run.benchmarks.at(0).reps.at(0);
  for (const char* c : {"window_ns", "cpu_ns_per_op_thread", "overlap", "lost_updates_per_increment",
                        "premature_last_per_op"})
    EXPECT_TRUE(rep.has(c)) << c;
  EXPECT_EQ(rep.left_out_reason(2), "");  // 0.995 >= kMinOverlap

  for (const char* bad : {"1.5", "-0.1"}) {
    const std::string e = error_of(run_text(entry(kName, 0, std::string(R"(,"overlap":)") + bad)));
    EXPECT_NE(e.find("/benchmarks/0/overlap: overlap is a share of the window, in [0, 1]"), std::string::npos) << e;
  }
  const std::string zero_window = error_of(run_text(entry(kName, 0, R"(,"window_ns":0)")));
  EXPECT_NE(zero_window.find("/benchmarks/0/window_ns: a time must be > 0"), std::string::npos) << zero_window;
}

TEST(RunJson, ARepetitionBelowTheOverlapThresholdSaysWhyItIsLeftOut) {
  const RunJson run = parse_run(run_text(entry(kName, 0, R"(,"overlap":0.98)") + "," +
                                         entry(kName, 1, R"(,"overlap":1.0)")),
                                "t.json");
  const std::string why = run.benchmarks.at(0).reps.at(0).left_out_reason(2);
  EXPECT_NE(why.find("overlap 0.98 < 0.99"), std::string::npos) << why;
  EXPECT_NE(why.find("not contended for its whole window"), std::string::npos) << why;
  EXPECT_EQ(run.benchmarks.at(0).reps.at(1).left_out_reason(2), "");
}

// One thread on its CPU for 5.0 of 6.0 ns per op: a sixth of its window went to
// something else, and the repetition says so. The same counters at two threads (a GIL
// waiter is off its CPU by design) and a 0.99 share at one thread count.
TEST(RunJson, AOneThreadRepetitionOffItsCpuSaysWhyItIsLeftOut) {
  const std::string single = "refcount/atomic/private/placement:single/real_time/threads:1";
  auto one_thread = [&](int rep, const std::string& extra) {
    std::string e = entry(single, rep, extra);
    return e.replace(e.find(R"("threads":2)"), 11, R"("threads":1)");
  };
  const RunJson run = parse_run(run_text(one_thread(0, R"(,"ns_per_op_thread":6.0,"cpu_ns_per_op_thread":5.0)") +
                                         "," + one_thread(1, R"(,"ns_per_op_thread":6.0,"cpu_ns_per_op_thread":5.94)")),
                                "t.json");
  const auto& reps = run.benchmarks.at(0).reps;
  const std::string why = reps.at(0).left_out_reason(1);
  EXPECT_NE(why.find("on its CPU for 0.833 of its window < 0.97"), std::string::npos) << why;
  EXPECT_EQ(reps.at(0).left_out_reason(2), "") << "two threads: off the CPU may be waiting";
  EXPECT_EQ(reps.at(1).left_out_reason(1), "") << "0.99 of the window counts";
}

// Issue 16: the real interpreter's rows name their eval row in baseline_real, and the
// run describes the embedded interpreter in rcbench.cpython (both optional).
TEST(RunJson, RealInterpreterFieldsLoad) {
  const RunJson run = load_run(kRuns / "two-vcpu-cpython.json");
  const Benchmark* gil = run.find("refcount/gil_cpython/shared/placement:l3/real_time/threads:2");
  ASSERT_NE(gil, nullptr);
  EXPECT_EQ(gil->meta.at("baseline_real"), "refcount/cpython311_eval/shared/placement:l3/real_time/threads:2");
  EXPECT_EQ(run.rcbench.at("cpython").at("eval_every_ops"), 64);
  const std::string unavailable = R"(,"cpython":{"available":false,"reason":"built without libpython"}})";
  EXPECT_NO_THROW((void)parse_run(run_text(entry(kName, 0), kRcbench + unavailable), "t.json"));
}

TEST(RunJson, RealInterpreterFieldsOfTheWrongTypeAreRefusedByPointer) {
  struct Case {
    std::string rcbench_fields, pointer, reason;
  };
  const Case cases[] = {
      {R"("benchmarks":[{"name":"a","baseline_real":null}])", "/rcbench/benchmarks/0/baseline_real",
       "expected a string"},
      {R"("cpython":[])", "/rcbench/cpython", "expected an object"},
      {R"("cpython":{"available":"yes"})", "/rcbench/cpython/available", "expected true or false"},
      {R"("cpython":{"version":"3.11.2"})", "/rcbench/cpython/available", "missing"},
      {R"("cpython":{"available":true,"version":3.11})", "/rcbench/cpython/version", "expected a string"},
      {R"("cpython":{"available":true,"eval_every_ops":0})", "/rcbench/cpython/eval_every_ops", "out of range"},
      {R"("cpython":{"available":true,"version_hex":-1})", "/rcbench/cpython/version_hex", "out of range"},
      {R"("cpython":{"available":true,"switch_interval_s":-0.005})", "/rcbench/cpython/switch_interval_s",
       "must be >= 0"},
  };
  for (const Case& c : cases)
    EXPECT_TRUE(refused(run_text(entry(kName, 0), kRcbench + "," + c.rcbench_fields + "}"), c.pointer, c.reason));
}

}  // namespace
