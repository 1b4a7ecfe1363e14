#include "tee_reporter.hpp"

#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace rcbench::harness {

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
  for (Run& r : per_op) {
    if (r.run_name.time_type != "manual_time") continue;  // ping-pong: times per batch
    r.run_name.time_type = "real_time";
    r.run_name.iterations.clear();
    const std::string name = r.run_name.str();
    if (r.run_type == Run::RT_Iteration) {
      const auto ops = r.counters.find("ops");
      if (ops == r.counters.end() || ops->second.value <= 0) continue;  // an error: no figure
      r.iterations = static_cast<benchmark::IterationCount>(ops->second.value);
      first_ops_.try_emplace(name, ops->second.value);
    } else if (const auto first = first_ops_.find(name); first != first_ops_.end()) {
      r.iterations = static_cast<benchmark::IterationCount>(first->second);
    }
  }
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
