// `rcbench topology`: what rcbench sees of a machine (the live one, an hwloc XML export or
// a synthetic description): its shape, the allowed PUs, the placement classes present with
// a representative pair each, a plan's PUs, a classification, and the all-pairs list.
#include <fmt/core.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <rcbench/topology.hpp>
#include <rcbench/topology/json.hpp>
#include <stdexcept>
#include <string>

#include "commands.hpp"

#include "rcbench/io/atomic_write.hpp"
#include "rcbench/io/destination.hpp"
#include "machine_info.hpp"

namespace rcbench::cli {
namespace {

struct TopologyOptions {
  std::string input_xml;
  std::string synthetic;
  bool synthetic_given = false;  // --synthetic '' is an error, not "this system"
  std::string restrict_to;
  unsigned threads = 0;
  std::string policy = "compact";
  std::string classify;
  bool pairs = false;
  std::size_t sample = 0;
  std::uint64_t seed = 1;
  bool json = false;
  std::string export_xml;
  bool force = false;
};

CommandExit usage_error(const std::exception& error) {
  return CommandExit(kUsageError, error.what());
}

topo::Topology load(const TopologyOptions& options) {
  topo::Topology topology = [&] {
    try {
      if (!options.input_xml.empty()) return topo::Topology::from_xml(options.input_xml);
      if (options.synthetic_given) return topo::Topology::from_synthetic(options.synthetic);
    } catch (const topo::TopologyError& error) {
      throw usage_error(error);
    }
    try {
      return topo::Topology::this_system();
    } catch (const topo::TopologyError& error) {
      throw CommandExit(kRuntimeError, error.what());
    }
  }();
  if (options.restrict_to.empty()) return topology;
  try {
    return topology.restrict_to(topo::CpuList::parse(options.restrict_to));
  } catch (const std::invalid_argument& error) {
    throw usage_error(error);
  } catch (const topo::TopologyError& error) {
    throw usage_error(error);
  }
}

std::string plural(unsigned n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Everything the command reports, computed once, then printed as text or JSON.
struct Report {
  topo::MachineSummary summary;
  std::vector<topo::PuPair> representatives;
  std::optional<topo::PlanRequest> plan_request;
  topo::CpuList plan;
  topo::PlacementClass plan_class{};
  std::optional<topo::CpuList> classified;
  topo::PlacementClass classified_class{};
  std::optional<std::vector<topo::PuPair>> pairs;
  std::size_t total_pairs = 0;
};

Report make_report(const topo::Topology& topology, const TopologyOptions& options) {
  Report report;
  report.summary = topology.summary();
  report.representatives = topology.representative_pairs(/*include_same_pu=*/true);
  try {
    if (options.threads > 0) {
      report.plan_request = topo::PlanRequest::parse(options.threads, options.policy);
      report.plan = topology.plan(*report.plan_request);
      report.plan_class = topology.nearest_common_class(report.plan);
    }
    if (!options.classify.empty()) {
      report.classified = topo::CpuList::parse(options.classify);
      report.classified_class = topology.nearest_common_class(*report.classified);
    }
  } catch (const std::invalid_argument& error) {
    throw usage_error(error);
  } catch (const topo::TopologyError& error) {
    throw usage_error(error);
  }
  if (options.pairs) {
    const std::size_t n = topology.allowed_pus().size();
    report.total_pairs = n * (n - 1) / 2;
    report.pairs = options.sample > 0 ? topology.all_pairs(options.sample, options.seed)
                                      : topology.all_pairs();
  }
  return report;
}

void print_text(const Report& report, const TopologyOptions& options) {
  const topo::MachineSummary& s = report.summary;
  fmt::print("Machine: {}\n", s.source);
  if (!s.cpu_model.empty() || !s.cpu_vendor.empty()) {
    fmt::print("  CPU: {}{}\n", s.cpu_model.empty() ? "(model not recorded)" : s.cpu_model,
               s.cpu_vendor.empty() ? "" : fmt::format(" ({})", s.cpu_vendor));
  }
  fmt::print("  {}, {}, {}, {}, {}, {} ({})\n", plural(s.packages, "package", "packages"),
             plural(s.numa_nodes, "NUMA node", "NUMA nodes"),
             plural(s.l3_caches, "L3 cache", "L3 caches"),
             plural(s.l2_caches, "L2 cache", "L2 caches"), plural(s.cores, "core", "cores"),
             plural(s.pus, "PU", "PUs"), s.smt ? "SMT" : "no SMT");
  fmt::print("  Allowed PUs: {} ({} of {} PUs{})\n", s.allowed.to_string(), s.allowed.size(), s.pus,
             !s.allowed_is_restricted() ? ""
             : s.this_system            ? "; the affinity mask or cgroup cpuset hides the others"
                                        : "; the others are not allowed");
  if (s.this_system) {
    // A VM's host may move the vCPUs: two-thread figures then come from a mixture of
    // placements (the run's probes record which one each repetition ran in).
    const auto facts = harness::machine_facts();
    const auto& v = facts["virtual"];
    std::string evidence;
    for (const auto& e : v["evidence"]) evidence += (evidence.empty() ? "" : "; ") + e.get<std::string>();
    fmt::print("  Virtual machine: {}\n", v["is_virtual"].get<bool>() ? "yes (" + evidence + ")" : "no evidence of one");
  }
  fmt::print(
      "\nPlacement classes present among allowed PUs, nearest first, with one pair of PUs "
      "(OS indices) each:\n");
  for (const topo::PuPair& pair : report.representatives) {
    fmt::print("  {:<8} {},{}\n", topo::to_string(pair.cls), pair.a, pair.b);
  }
  if (report.plan_request) {
    fmt::print("\nPlan: {}, {}: PUs {} (nearest common class: {})\n",
               plural(report.plan_request->threads, "thread", "threads"),
               topo::to_string(*report.plan_request), report.plan.to_string(),
               topo::to_string(report.plan_class));
  }
  if (report.classified) {
    fmt::print("\nClassify: PUs {} share {}\n", report.classified->to_string(),
               topo::to_string(report.classified_class));
  }
  if (report.pairs) {
    fmt::print("\nPairs of allowed PUs (unordered, a < b): {} of {}", report.pairs->size(),
               report.total_pairs);
    if (options.sample > 0) fmt::print(" (sample of {}, seed {})", options.sample, options.seed);
    fmt::print("\n  {:>5} {:>5}  class\n", "a", "b");
    for (const topo::PuPair& pair : *report.pairs) {
      fmt::print("  {:>5} {:>5}  {}\n", pair.a, pair.b, topo::to_string(pair.cls));
    }
  }
}

void print_json(const Report& report, const TopologyOptions& options) {
  nlohmann::json out;
  out["machine"] = report.summary;
  if (report.summary.this_system) out["machine"]["virtual"] = harness::machine_facts()["virtual"];
  out["representative_pairs"] = report.representatives;
  if (report.plan_request) {
    out["plan"] = {{"threads", report.plan_request->threads},
                   {"policy", topo::to_string(*report.plan_request)},
                   {"pus", report.plan.to_string()},
                   {"pu_list", report.plan.pus()},
                   {"class", topo::to_string(report.plan_class)}};
  }
  if (report.classified) {
    out["classify"] = {{"pus", report.classified->to_string()},
                       {"class", topo::to_string(report.classified_class)}};
  }
  if (report.pairs) {
    out["pairs"] = {
        {"total", report.total_pairs},
        {"sample", options.sample > 0 ? nlohmann::json(options.sample) : nlohmann::json()},
        {"seed", options.seed},
        {"pairs", *report.pairs}};
  }
  fmt::print("{}\n", out.dump(2));
}

void run(const TopologyOptions& options) {
  // A bad destination is refused before loading (io::DestinationRefused: exit 2).
  if (!options.export_xml.empty()) io::check_file_destination(options.export_xml, options.force);
  const topo::Topology topology = load(options);
  const Report report = make_report(topology, options);
  if (!options.export_xml.empty())
    io::write_file_atomically(options.export_xml, topology.export_xml(), options.force);
  if (options.json) {
    print_json(report, options);
  } else {
    print_text(report, options);
  }
}

}  // namespace

void add_topology_command(CLI::App& app) {
  auto options = std::make_shared<TopologyOptions>();
  CLI::App* command = app.add_subcommand(
      "topology",
      "Show the machine as rcbench sees it: shape, allowed PUs, placement classes with a "
      "representative pair each, plans and PU pairs. PUs are OS indices (as taskset).");

  auto* input = command
                    ->add_option("--input", options->input_xml,
                                 "Read an hwloc XML export (lstopo --of xml) instead of this "
                                 "system")
                    ->type_name("FILE.xml")
                    ->group("Input");
  command
      ->add_option("--synthetic", options->synthetic,
                   "Use an hwloc synthetic machine, e.g. \"pack:2 numa:2 l3:4 core:4 pu:2\"")
      ->type_name("DESC")
      ->group("Input")
      ->excludes(input);
  command
      ->add_option("--restrict", options->restrict_to,
                   "Allow only these PUs, as if run under taskset -c LIST")
      ->type_name("LIST")
      ->group("Input");

  auto* threads =
      command
          ->add_option("--threads", options->threads, "Show the PUs a plan for N threads would use")
          ->type_name("N")
          ->check(CLI::Range(1U, 1U << 16))
          ->group("Plan");
  command
      ->add_option("--policy", options->policy,
                   "compact (nearest PUs first), scatter (spread over packages, NUMA nodes, "
                   "caches, cores; SMT siblings last) or within:CLASS (all threads in one "
                   "domain of CLASS, e.g. within:l3)")
      ->type_name("POLICY")
      ->default_str("compact")
      ->needs(threads)
      ->group("Plan");

  command
      ->add_option("--classify", options->classify,
                   "Print the nearest class these PUs all share, e.g. --classify 0,8")
      ->type_name("LIST")
      ->group("Query");

  auto* pairs = command
                    ->add_flag("--pairs", options->pairs,
                               "List every unordered pair of allowed PUs with its class "
                               "(the core-to-core matrix)")
                    ->group("Pairs");
  command
      ->add_option("--sample", options->sample,
                   "With --pairs: only K pairs, chosen by seeded selection sampling")
      ->type_name("K")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 32))
      ->needs(pairs)
      ->group("Pairs");
  command->add_option("--seed", options->seed, "With --sample: the seed (default 1)")
      ->type_name("S")
      ->needs(pairs)
      ->group("Pairs");

  command->add_flag("--json", options->json, "Print JSON for scripts instead of text")
      ->group("Output");
  command
      ->add_option("--export-xml", options->export_xml,
                   "Also write the machine as hwloc XML (for the result set)")
      ->type_name("FILE")
      ->group("Output");
  command->add_flag("--force", options->force,
                    "With --export-xml: replace an existing regular file (never a link)")
      ->group("Output");

  command->callback([options, command] {
    options->synthetic_given = command->count("--synthetic") > 0;
    // An empty value is a mistake to name, not "no restriction" or "no export".
    if (command->count("--restrict") > 0 && options->restrict_to.empty())
      throw CommandExit(kUsageError, "--restrict: empty PU list (expected e.g. 0-3,8)");
    if (command->count("--export-xml") > 0 && options->export_xml.empty())
      throw CommandExit(kUsageError, "--export-xml: empty file name");
    run(*options);
  });
}

}  // namespace rcbench::cli
