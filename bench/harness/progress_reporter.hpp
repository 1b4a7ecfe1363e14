// Google Benchmark's display reporter for rcbench: one line per benchmark as its
// repetitions finish, with a running count and an estimate of the time left.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <cstdio>

namespace rcbench::harness {

class ProgressReporter : public benchmark::BenchmarkReporter {
 public:
  ProgressReporter(std::size_t total_benchmarks, std::FILE* out);
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  std::size_t errors() const { return errors_; }

 private:
  std::size_t total_;
  std::size_t done_ = 0;
  std::size_t errors_ = 0;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace rcbench::harness
