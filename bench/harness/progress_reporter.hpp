// Google Benchmark's display reporter for rcbench: one line per benchmark as its
// repetitions finish, with a running count and the time left at the rate measured so
// far (this session's benchmarks done / its time).
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <cstdio>

namespace rcbench::harness {

class ProgressReporter : public benchmark::BenchmarkReporter {
 public:
  // `already_done`: benchmarks an earlier session finished (a resumed run), counted
  // in the total and the count but not in the measured rate.
  ProgressReporter(std::size_t total_benchmarks, std::FILE* out, std::size_t already_done = 0);
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  std::size_t errors() const { return errors_; }

 private:
  std::size_t total_;
  std::size_t already_done_;
  std::size_t done_;
  std::size_t errors_ = 0;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace rcbench::harness
