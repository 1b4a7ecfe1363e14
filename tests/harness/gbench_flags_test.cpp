// Google Benchmark's flags on `rcbench run`: known ones parsed and checked, unknown
// ones refused by name; numbers share rcbench's own ranges.
#include "gbench_flags.hpp"
#include "limits.hpp"
#include "tee_reporter.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace rcbench::harness {
namespace {

void fails_with(const std::vector<std::string>& args, const std::string& needle) {
  try {
    parse_gbench_flags(args);
    ADD_FAILURE() << "no error, expected one mentioning '" << needle << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(GbenchFlags, TakesOverSelectionAndOutputs) {
  const auto g = parse_gbench_flags({"--benchmark_filter=atomic", "--benchmark_repetitions=3",
                                     "--benchmark_min_time=0.5", "--benchmark_out=gb.csv",
                                     "--benchmark_out_format=csv", "--benchmark_format=json",
                                     "--benchmark_counters_tabular", "--benchmark_color=no",
                                     "--benchmark_time_unit=us"});
  EXPECT_EQ(g.filter, "atomic");
  EXPECT_EQ(g.repetitions, 3u);
  EXPECT_EQ(g.min_time_s, 0.5);
  EXPECT_EQ(g.out, "gb.csv");
  EXPECT_EQ(g.out_format, "csv");
  EXPECT_EQ(g.format, "json");
  EXPECT_TRUE(g.counters_tabular);
  EXPECT_EQ(g.color, false);
  EXPECT_EQ(g.passthrough, std::vector<std::string>{"--benchmark_time_unit=us"});
}

TEST(GbenchFlags, RefusesUnknownFlagsAndBadValues) {
  fails_with({"--benchmark_bogus"}, "'--benchmark_bogus'");
  fails_with({"--benchmark_repetitions=0"}, "1..");
  fails_with({"--benchmark_min_time=nan"}, "--benchmark_min_time");
  fails_with({"--benchmark_format=xml"}, "console, json, csv");
  fails_with({"--benchmark_out"}, "needs a value");
  fails_with({"--benchmark_time_unit=ps"}, "ns, us, ms, s");
  fails_with({"--benchmark_context=novalue"}, "key=value");
  fails_with({"--benchmark_list_tests=maybe"}, "true or false");
}

TEST(Limits, NumbersAreFiniteAndInRange) {
  EXPECT_EQ(limits::parse_count("--repetitions", "7", 1, 9), 7u);
  EXPECT_THROW(limits::parse_count("--repetitions", "0", 1, 9), std::invalid_argument);
  EXPECT_THROW(limits::parse_count("--repetitions", "-1", 1, 9), std::invalid_argument);
  EXPECT_THROW(limits::parse_count("--repetitions", "3x", 1, 9), std::invalid_argument);
  EXPECT_THROW(limits::parse_count("--repetitions", "99999999999999999999999", 1, 9), std::invalid_argument);
  EXPECT_DOUBLE_EQ(limits::parse_seconds("--min-time", "0.01", 10), 0.01);
  for (const char* bad : {"nan", "inf", "-1", "0", "11", "", "1e999", "0.1s"})
    EXPECT_THROW(limits::parse_seconds("--min-time", bad, 10), std::invalid_argument) << bad;
  EXPECT_DOUBLE_EQ(limits::parse_seconds("--benchmark_min_warmup_time", "0", 10, true), 0.0);
}

// The tee writing into Google Benchmark's JSON reporter, its text kept.
struct TeeToJson {
  TeeToJson() {
    json->SetOutputStream(&text);
    json->SetErrorStream(&text);
    tee.add(*json, false);
  }
  std::ostringstream text;
  std::unique_ptr<benchmark::BenchmarkReporter> json = make_gbench_reporter("json", false, false);
  TeeReporter tee;
};

// A timed row is one manual-time iteration (the window); the tee makes its
// iterations the window's ops, so Google Benchmark's writers print ns per op, and
// keeps the name Google Benchmark would give a real-time row.
TEST(TeeReporter, PrintsTimesPerOpUnderTheRealTimeName) {
  TeeToJson out;
  benchmark::BenchmarkReporter::Run run;
  run.run_name.function_name = "refcount/x";
  run.run_name.iterations = "iterations:1";
  run.run_name.time_type = "manual_time";
  run.run_name.threads = "threads:1";
  run.iterations = 1;
  run.real_accumulated_time = 64e-6;  // a 64 µs window that ran 64,000 ops: 1 ns per op
  run.cpu_accumulated_time = 64e-6;
  run.counters["ops"] = 64000;
  out.tee.ReportRuns({run});
  EXPECT_NE(out.text.str().find("\"name\": \"refcount/x/real_time/threads:1\""), std::string::npos) << out.text.str();
  EXPECT_NE(out.text.str().find("\"iterations\": 64000"), std::string::npos) << out.text.str();
  EXPECT_NE(out.text.str().find("\"real_time\": 1.0000000000000000e+00"), std::string::npos) << out.text.str();
}

// A ping-pong row is timed by Google Benchmark per batch: left as it is.
TEST(TeeReporter, LeavesRealTimeRowsAlone) {
  TeeToJson out;
  benchmark::BenchmarkReporter::Run run;
  run.run_name.function_name = "calibration/pingpong_two_line/placement:l3";
  run.run_name.time_type = "real_time";
  run.iterations = 500;
  run.real_accumulated_time = 500e-6;
  out.tee.ReportRuns({run});
  EXPECT_NE(out.text.str().find("\"iterations\": 500,"), std::string::npos) << out.text.str();
}

}  // namespace
}  // namespace rcbench::harness
