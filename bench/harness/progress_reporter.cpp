#include "progress_reporter.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <vector>

namespace rcbench::harness {

ProgressReporter::ProgressReporter(std::size_t total_benchmarks, std::FILE* out, std::size_t already_done)
    : total_(total_benchmarks),
      already_done_(already_done),
      done_(already_done),
      out_(out),
      start_(std::chrono::steady_clock::now()) {}

bool ProgressReporter::ReportContext(const Context&) {
  start_ = std::chrono::steady_clock::now();
  return true;
}

void ProgressReporter::ReportRuns(const std::vector<Run>& runs) {
  // With interleaving, one call carries one repetition; count a benchmark once.
  std::vector<double> ns;
  std::string name;
  const char* what = "ns/op per thread";
  bool counted = false;
  for (const Run& r : runs) {
    if (r.run_type != Run::RT_Iteration) continue;
    name = r.run_name.str();
    if (r.error_occurred) {
      ++errors_;
      fmt::print(out_, "  ERROR {}: {}\n", name, r.error_message);
      continue;
    }
    if (r.repetition_index == 0) counted = true;
    const auto it = r.counters.find("ns_per_op_thread");
    if (it != r.counters.end()) ns.push_back(it->second.value);
    const auto pp = r.counters.find("pingpong_ns");
    if (pp != r.counters.end()) {
      ns.push_back(pp->second.value);
      what = "ns one-way latency";
    }
  }
  if (counted || (runs.size() > 0 && runs.front().repetitions <= 1)) ++done_;
  if (ns.empty()) return;
  std::sort(ns.begin(), ns.end());
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::size_t done_here = done_ - already_done_;
  const double left = done_here > 0 ? elapsed / static_cast<double>(done_here) *
                                          static_cast<double>(total_ - std::min(done_, total_))
                                    : 0.0;
  fmt::print(out_, "[{:>4}/{}] {:<62} {:>9.2f} {} (median of {}), ~{:.0f} s left\n",
             std::min(done_, total_), total_, name, ns[ns.size() / 2], what, ns.size(), left);
  std::fflush(out_);
}

}  // namespace rcbench::harness
