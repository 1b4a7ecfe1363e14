// Google Benchmark takes one display reporter, and a file reporter only through its
// own --benchmark_out (which then exits 1 when another file reporter is given). A run
// needs several views of the same results: rcbench's progress, the console format a
// user chose, Google Benchmark's JSON for the run JSON, and a user's --benchmark_out
// file. The tee is the one display reporter; it hands each sink the runs that sink
// would have received from Google Benchmark itself.
//
// It also makes times per op: a refcount iteration runs a block of K ops, so each run's
// `iterations` is multiplied by K before any sink sees it. Google Benchmark derives
// real_time and cpu_time as accumulated time / iterations at print time, so every sink
// (compare.py included) then shows ns per op and counts ops as iterations.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::harness {

class TeeReporter : public benchmark::BenchmarkReporter {
 public:
  // Ops per Google Benchmark iteration of a run (1: leave its times per iteration).
  using OpsPerIteration = std::function<unsigned(const Run&)>;
  explicit TeeReporter(OpsPerIteration ops_per_iteration);

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
  OpsPerIteration ops_per_iteration_;
  std::vector<Sink> sinks_;
};

// Google Benchmark's reporter for "console", "json" or "csv". `color`: none for auto
// (colour when stdout is a terminal).
std::unique_ptr<benchmark::BenchmarkReporter> make_gbench_reporter(const std::string& format,
                                                                   std::optional<bool> color,
                                                                   bool counters_tabular);

}  // namespace rcbench::harness
