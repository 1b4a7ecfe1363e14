// `rcbench matrix`: the full core-to-core latency matrix, c2clat style: every allowed PU
// pair (or K per placement class, seeded) by both ping-pong methods, within a budget,
// written as one "rcbench-matrix" JSON (docs/matrix.md) atomically, never overwriting.
// The probes are the ones `rcbench run` calibrates with (probe.hpp); only the pair loop is
// here, outside Google Benchmark, whose per-row thread start-up and repetitions would
// multiply 73,536 pairs' cost for nothing this figure needs.
#include "commands.hpp"
#include "comma_list.hpp"
#include "output_file.hpp"
#include "this_system.hpp"

#include "limits.hpp"
#include "machine_info.hpp"
#include "matrix_json.hpp"
#include "matrix_measure.hpp"
#include "matrix_pairs.hpp"

#include "rcbench/topology/json.hpp"
#include "rcbench/topology/topology.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::cli {
namespace {

namespace limits = harness::limits;
using harness::PingPongMethod;

// More batches add nothing to a minimum after the first few dozen; beyond this a
// value is a typo that would run for days.
constexpr unsigned kMaxBatches = 10000;
constexpr unsigned kDefaultBatches = 50;

struct MatrixFlags {  // as typed: numbers are checked by limits.hpp, as rcbench run's
  std::string out;
  bool force = false;
  std::vector<std::string> methods;
  std::optional<std::string> sample, seed, budget, batches;
  std::string input_xml;
  bool list = false;
};

struct MatrixRequest {
  std::vector<PingPongMethod> methods;
  std::optional<std::size_t> per_class;
  std::uint64_t seed = 1;
  std::optional<double> budget_s;
  unsigned batches = kDefaultBatches;
};

std::uint64_t parse_seed(const std::string& text) {
  // Digits only: std::stoull would take "-1" as 2^64-1 and "12abc" as 12.
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument(fmt::format("--seed '{}': expected an integer in 0..2^64-1", text));
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    throw std::invalid_argument(fmt::format("--seed '{}': expected an integer in 0..2^64-1", text));
  }
}

MatrixRequest request_from(const MatrixFlags& f) {
  MatrixRequest r;
  try {
    for (const auto& name : f.methods) {
      if (name == "both") {
        r.methods = {PingPongMethod::two_line, PingPongMethod::one_line_cas};
        continue;
      }
      const auto m = harness::parse_pingpong_method(name);
      if (!m) throw std::invalid_argument(fmt::format("--method '{}': expected two_line, one_line_cas or both", name));
      if (std::find(r.methods.begin(), r.methods.end(), *m) == r.methods.end()) r.methods.push_back(*m);
    }
    if (r.methods.empty()) r.methods = {PingPongMethod::two_line, PingPongMethod::one_line_cas};
    if (f.sample) r.per_class = limits::parse_count("--sample", *f.sample, 1, 1'000'000'000);
    if (f.seed && !f.sample && !f.budget)
      throw std::invalid_argument("--seed: only --sample and --budget choose pairs at random; give one of them");
    if (f.seed) r.seed = parse_seed(*f.seed);
    if (f.budget) r.budget_s = limits::parse_duration("--budget", *f.budget, limits::kMaxBudgetS);
    if (f.batches) r.batches = limits::parse_count("--batches", *f.batches, 1, kMaxBatches);
  } catch (const std::invalid_argument& e) {
    throw CommandExit(kUsageError, e.what());
  }
  return r;
}

std::string seconds(double s) {
  if (s < 1) return fmt::format("{:.3f} s", s);  // one pair here: milliseconds
  return s < 10 ? fmt::format("{:.1f} s", s) : fmt::format("{:.0f} s", s);
}

std::string method_names(const std::vector<PingPongMethod>& methods) {
  std::string s;
  for (auto m : methods) s += (s.empty() ? "" : ", ") + std::string(harness::to_string(m));
  return s;
}

// "smt 96/192, l3 1000/5376, ..." (kept/available): what a sample or a budget kept.
std::string class_counts_line(const harness::ClassCounts& counts) {
  std::string s;
  for (const auto& [cls, c] : counts)
    s += fmt::format("{}{} {}/{}", s.empty() ? "" : ", ", topo::to_string(cls), c.kept, c.available);
  return s;
}

nlohmann::json class_counts_json(const harness::ClassCounts& counts) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [cls, c] : counts)
    j[std::string(topo::to_string(cls))] = {{"available", c.available}, {"planned", c.kept}};
  return j;
}

// Everything decided before measuring: the PUs, the pairs and what they will cost.
struct MatrixPlan {
  std::vector<unsigned> order;           // allowed PUs, hwloc logical order
  std::size_t all_pairs = 0;             // n(n-1)/2
  std::vector<topo::PuPair> selected;    // all, or K per class
  harness::ClassCounts selected_counts;  // selected of all, per class
  std::optional<harness::MatrixBudgetTrim> budget;
  std::vector<topo::PuPair> pairs;       // what will be measured
  double pair_s = 0;                     // estimated seconds a pair
};

MatrixPlan plan_matrix(const topo::Topology& topology, const MatrixRequest& r) {
  MatrixPlan p;
  p.order = topology.allowed_in_logical_order();
  if (p.order.size() < 2)
    throw CommandExit(kUsageError, fmt::format("a matrix needs two PUs or more; this process may use {} ({})",
                                               p.order.size(), topology.allowed_pus().to_string()));
  const auto all = topology.all_pairs();
  p.all_pairs = all.size();
  p.selected = r.per_class ? harness::sample_per_class(all, *r.per_class, r.seed) : all;
  p.selected_counts = harness::count_classes(all, p.selected);
  p.pair_s = harness::estimate_pair_seconds(static_cast<unsigned>(r.methods.size()), r.batches);
  p.pairs = p.selected;
  if (r.budget_s) {
    try {
      p.budget = harness::trim_pairs_to_budget(p.selected, p.pair_s, *r.budget_s, r.seed);
    } catch (const std::invalid_argument& e) {
      throw CommandExit(kUsageError, e.what());
    }
    p.pairs = p.budget->kept;
  }
  return p;
}

void print_plan(std::FILE* out, const topo::Topology& topology, const MatrixPlan& p, const MatrixRequest& r) {
  fmt::print(out, "PUs: {} allowed ({}), in hwloc logical order; source {}\n", p.order.size(),
             topology.allowed_pus().to_string(), topology.source());
  fmt::print(out, "pairs: {} of all {} (n(n-1)/2){}\n", p.selected.size(), p.all_pairs,
             r.per_class ? fmt::format(", --sample {} per class, seed {}", *r.per_class, r.seed) : "");
  fmt::print(out, "  per class (planned/available): {}\n", class_counts_line(p.selected_counts));
  if (p.budget) {
    const auto& b = *p.budget;
    if (!b.trimmed())
      fmt::print(out, "budget {:g} s: the matrix fits (about {}), nothing dropped\n", b.budget_s,
                 seconds(b.estimate_before_s));
    else
      fmt::print(out, "budget {:g} s: estimate {} -> {}, dropped {} of {} pairs (kept {} per class): {}\n",
                 b.budget_s, seconds(b.estimate_before_s), seconds(b.estimate_after_s),
                 b.pairs_before - b.kept.size(), b.pairs_before, *b.per_class, class_counts_line(b.classes));
  }
  fmt::print(out, "{} pairs x methods {} x {} batches of {} round trips, about {} ({:.2f} ms a pair, estimated)\n",
             p.pairs.size(), method_names(r.methods), r.batches, harness::kRoundTripsPerBatch,
             seconds(p.pair_s * double(p.pairs.size())), p.pair_s * 1e3);
}

// One line a second at most, and the last: pairs done of total, elapsed and time left.
class Progress {
 public:
  explicit Progress(std::FILE* out) : out_(out), start_(Clock::now()) {}
  void operator()(std::size_t done, std::size_t total) {
    const auto now = Clock::now();
    if (done != total && done != 1 && now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double left = elapsed / double(done) * double(total - done);
    fmt::print(out_, "  pairs {}/{} done, {} elapsed, about {} left\n", done, total, seconds(elapsed), seconds(left));
    std::fflush(out_);
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::FILE* out_;
  Clock::time_point start_, last_{};
};

std::string command_line_or(const std::string& fallback) {
  std::ifstream cmdline("/proc/self/cmdline");
  std::string arg, all;
  while (std::getline(cmdline, arg, '\0')) all += (all.empty() ? "" : " ") + arg;
  return all.empty() ? fallback : all;
}

void run(const MatrixFlags& f) {
  const MatrixRequest r = request_from(f);
  if (!f.input_xml.empty() && !f.list)
    throw CommandExit(kUsageError, "--input: a matrix from an XML export can only be planned (add --list); "
                                   "measuring needs this system");
  const topo::Topology topology = [&] {
    try {
      return f.input_xml.empty() ? topo::Topology::this_system() : topo::Topology::from_xml(f.input_xml);
    } catch (const topo::TopologyError& e) {
      throw CommandExit(kUsageError, fmt::format("--input {}: {}", f.input_xml, e.what()));
    }
  }();
  const MatrixPlan p = plan_matrix(topology, r);
  if (f.list) {
    print_plan(stdout, topology, p, r);
    return;
  }
  refuse_other_topology(topology, "matrix");
  const std::filesystem::path out =
      f.out.empty() ? std::filesystem::path(fmt::format("rcbench-matrix-{}.json", utc_stamp()))
                    : std::filesystem::path(f.out);
  OutputFile output(out, f.force);  // refuses an existing file before any work

  fmt::print("rcbench matrix: {} pairs of {} PUs, methods {}, about {}\n", p.pairs.size(), p.order.size(),
             method_names(r.methods), seconds(p.pair_s * double(p.pairs.size())));
  print_plan(stdout, topology, p, r);
  fmt::print("  output: {}\n", out.string());
  std::fflush(stdout);

  nlohmann::json doc = {{"format", "rcbench-matrix"}, {"format_version", 1}};
  doc["command_line"] = command_line_or("rcbench matrix");
  doc["machine"] = harness::machine_facts();
  doc["machine"]["topology"] = nlohmann::json(topology.summary());
  doc["build"] = harness::build_facts();
  doc["environment"]["start"] = harness::environment_snapshot();

  const auto started = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (r.budget_s)
    deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(*r.budget_s));
  Progress progress(stdout);
  const harness::MatrixRunOutcome outcome =
      harness::measure_pairs(topology, p.pairs, r.methods, r.batches, deadline, std::ref(progress));
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  doc["environment"]["end"] = harness::environment_snapshot();

  doc["wall_time_s"] = took;
  doc["statistic"] = harness::kMatrixStatistic;
  doc["shape"] = {{"batches", r.batches}, {"round_trips_per_batch", harness::kRoundTripsPerBatch},
                  {"initiator", "a (the lower OS index); b responds"}};
  doc["selection"] = {{"mode", r.per_class ? "sample_per_class" : "all"},
                      {"pairs_all", p.all_pairs},
                      {"sample_per_class", r.per_class ? nlohmann::json(*r.per_class) : nullptr},
                      {"seed", r.seed},
                      {"pairs_selected", p.selected.size()},
                      {"by_class", class_counts_json(p.selected_counts)}};
  if (p.budget) {
    const auto& b = *p.budget;
    doc["budget"] = {{"budget_s", b.budget_s},
                     {"estimate_before_s", b.estimate_before_s},
                     {"estimate_after_s", b.estimate_after_s},
                     {"pairs_dropped", b.pairs_before - b.kept.size()},
                     {"kept_per_class", b.per_class ? nlohmann::json(*b.per_class) : nullptr},
                     {"by_class", class_counts_json(b.classes)},
                     {"pairs_not_reached", outcome.not_reached}};
  }
  doc["pairs_planned"] = p.pairs.size();
  doc["pairs_measured"] = outcome.measured;
  doc["pairs_failed"] = outcome.failed;
  doc["seconds_per_pair"] = p.pairs.empty() ? 0.0 : took / double(p.pairs.size() - outcome.not_reached);
  doc.update(harness::matrix_section(p.order, harness::class_boundaries(topology, p.order), r.methods,
                                     outcome.results));
  output.commit(doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");

  fmt::print("rcbench matrix: {} of {} pairs measured in {} ({:.2f} ms a pair) -> {}\n", outcome.measured,
             p.pairs.size(), seconds(took), doc["seconds_per_pair"].get<double>() * 1e3, out.string());
  if (outcome.not_reached > 0)
    fmt::print("  the budget ran out before {} pairs (null in the matrix; \"not measured\" in pairs[])\n",
               outcome.not_reached);
  if (outcome.failed > 0)
    throw CommandExit(kRuntimeError, fmt::format("{} pair(s) failed (see \"error\" in {}'s pairs[])",
                                                 outcome.failed, out.string()));
}

}  // namespace

void add_matrix_command(CLI::App& app) {
  auto flags = std::make_shared<MatrixFlags>();
  CLI::App* cmd = app.add_subcommand(
      "matrix", "Measure the core-to-core one-way latency of every allowed PU pair (c2clat style) "
                "by both ping-pong methods; writes one matrix JSON (scripts/plot_matrix.py draws it).");
  cmd->footer("Figures are one-way latency in ns per pair: the minimum over batches of half the mean round "
              "trip.\ntwo_line: rigtorp/c2clat (each side stores its own line); one_line_cas: "
              "nviennot/core-to-core-latency\n(both sides CAS one line). HWLOC_XMLFILE or --input FILE.xml "
              "plans for another machine (--list only).");
  cmd->add_option("--method", flags->methods, "two_line, one_line_cas or both (default both; comma list)")
      ->group("What to measure");
  cmd->add_option("--sample", flags->sample,
                  "K pairs per placement class (all of a class with fewer) instead of every pair")
      ->group("What to measure");
  cmd->add_option("--seed", flags->seed, "Seed of --sample's and --budget's choice (default 1)")
      ->group("What to measure");
  cmd->add_option("--input", flags->input_xml, "Plan for an hwloc XML export instead of this system (with --list)")
      ->type_name("FILE.xml")->group("What to measure");
  cmd->add_flag("--list", flags->list, "Print the PUs, pair counts per class and the time estimate, and exit")
      ->group("What to measure");
  cmd->add_option("--batches", flags->batches,
                  fmt::format("Batches of {} round trips per pair and method; the figure is the fastest "
                              "(1..{}, default {})",
                              harness::kRoundTripsPerBatch, kMaxBatches, kDefaultBatches))
      ->group("How long");
  cmd->add_option("--budget", flags->budget,
                  "Time budget (90s, 20m, 1h30m): over it, keep the largest equal number of pairs per class "
                  "that fits (seeded), and stop measuring when it runs out")
      ->group("How long");
  cmd->add_option("-o,--out", flags->out, "Matrix JSON to write (default rcbench-matrix-<time>.json)")
      ->group("Output");
  cmd->add_flag("--force", flags->force, "Replace an existing regular file; never a link, device or folder")
      ->group("Output");
  cmd->callback([flags, cmd] {
    flags->methods = split_comma_lists("--method", flags->methods);
    check_output_name("--out", cmd->count("--out") > 0, flags->out);
    run(*flags);
  });
}

}  // namespace rcbench::cli
