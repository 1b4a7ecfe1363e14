#include "tee_reporter.hpp"

#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace rcbench::harness {

TeeReporter::TeeReporter(OpsPerIteration ops_per_iteration)
    : ops_per_iteration_(std::move(ops_per_iteration)) {}

void TeeReporter::add(benchmark::BenchmarkReporter& sink, bool aggregates_only) {
  sinks_.push_back({&sink, aggregates_only});
}

bool TeeReporter::ReportContext(const Context& context) {
  bool ok = true;
  for (const Sink& s : sinks_) ok = s.reporter->ReportContext(context) && ok;
  return ok;
}

void TeeReporter::ReportRuns(const std::vector<Run>& runs) {
  if (runs.empty()) return;
  std::vector<Run> per_op = runs;
  for (Run& r : per_op) r.iterations *= ops_per_iteration_(r);
  // Google Benchmark reports a benchmark's repetitions in one call and its aggregates
  // (computed only for more than one repetition) in the next. A sink that wants
  // aggregates only still gets the repetitions when no aggregates will follow.
  const bool aggregates = per_op.front().run_type == Run::RT_Aggregate;
  const bool aggregates_follow = !aggregates && per_op.front().repetitions > 1;
  for (const Sink& s : sinks_) {
    if (s.aggregates_only && aggregates_follow) continue;
    s.reporter->ReportRuns(per_op);
  }
}

void TeeReporter::Finalize() {
  for (const Sink& s : sinks_) s.reporter->Finalize();
}

// CSVReporter is deprecated in 1.7.1 but is still what --benchmark_format=csv means.
BENCHMARK_DISABLE_DEPRECATED_WARNING

std::unique_ptr<benchmark::BenchmarkReporter> make_gbench_reporter(const std::string& format,
                                                                   std::optional<bool> color,
                                                                   bool counters_tabular) {
  if (format == "json") return std::make_unique<benchmark::JSONReporter>();
  if (format == "csv") return std::make_unique<benchmark::CSVReporter>();
  if (format != "console") throw std::invalid_argument("unknown Google Benchmark format '" + format + "'");
  const bool use_color = color.value_or(isatty(fileno(stdout)) != 0);
  int opts = benchmark::ConsoleReporter::OO_None;
  if (use_color) opts |= benchmark::ConsoleReporter::OO_Color;
  if (counters_tabular) opts |= benchmark::ConsoleReporter::OO_Tabular;
  return std::make_unique<benchmark::ConsoleReporter>(static_cast<benchmark::ConsoleReporter::OutputOptions>(opts));
}

BENCHMARK_RESTORE_DEPRECATED_WARNING

}  // namespace rcbench::harness
