// Google Benchmark takes one display reporter, and a file reporter only through its
// own --benchmark_out (which then exits 1 when another file reporter is given). A run
// needs several views of the same results: rcbench's progress, the console format a
// user chose, Google Benchmark's JSON for the run JSON, and a user's --benchmark_out
// file. The tee is the one display reporter; it hands each sink the runs that sink
// would have received from Google Benchmark itself.
//
// It also makes times per op. A timed row (refcount or overhead) runs as one Google
// Benchmark iteration with manual time, the time window; its `iterations` becomes
// the ops the window ran (the run's `ops` counter) before any sink sees it. Google
// Benchmark derives real_time and cpu_time as accumulated time / iterations at print
// time, so every sink (compare.py included) then shows ns per op and counts ops as
// iterations. Aggregates are divided by the ops of the benchmark's first repetition,
// as Google Benchmark divides them by its first repetition's iterations.
//
// Names stay what they were: the window is wall-clock (real) time, so a timed row
// keeps "real_time" in its name rather than "iterations:1/manual_time", and history
// matches across the change.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::harness {

class TeeReporter : public benchmark::BenchmarkReporter {
 public:
  TeeReporter() = default;

  // `aggregates_only`: as --benchmark_display/report_aggregates_only would do for it.
  void add(benchmark::BenchmarkReporter& sink, bool aggregates_only);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  struct Sink {
    benchmark::BenchmarkReporter* reporter;
    bool aggregates_only;
  };
  std::vector<Sink> sinks_;
  std::map<std::string, double> first_ops_;  // run name -> ops of its first repetition
};

// Google Benchmark's reporter for "console", "json" or "csv". `color`: none for auto
// (colour when stdout is a terminal).
std::unique_ptr<benchmark::BenchmarkReporter> make_gbench_reporter(const std::string& format,
                                                                   std::optional<bool> color,
                                                                   bool counters_tabular);

}  // namespace rcbench::harness
