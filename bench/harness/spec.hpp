// What one benchmark is: strategy x workload x placement x threads. The plan
// (plan.cpp) makes these from a profile and the topology; the registration turns
// each into one Google Benchmark family; the run JSON's "rcbench.benchmarks"
// echoes them so a reader knows exactly what ran where.
#pragma once

#include "counters/refcounter.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rcbench::harness {

enum class Workload { private_objects, shared, false_sharing, handoff, mixed };

std::string_view to_string(Workload);
std::optional<Workload> parse_workload(std::string_view);

enum class BenchKind { refcount, overhead, pingpong };

struct BenchSpec {
  BenchKind kind = BenchKind::refcount;
  std::string strategy;                 // "atomic", "deferred_64", "gil_cpython", ...
  Workload workload = Workload::private_objects;
  std::uint32_t param = 0;              // false_sharing: pad bytes; mixed: shared percent
  std::string placement;                // "single", "l3", "compact", "scatter", ...
  std::string placement_class;          // nearest class all the PUs share ("same_pu" for 1)
  std::vector<unsigned> pus;            // thread i runs on pus[i]
  unsigned probe_partner_pu = 0;        // single-thread rows: where the probe helper runs
  bool has_probe_partner = false;
  bool matrix_cell = false;             // pingpong: one cell of the core-to-core matrix
  counters::DomainConfig domain;
  unsigned ops_per_iteration = 64;      // ops unrolled per Google Benchmark iteration

  int threads() const { return static_cast<int>(pus.size()); }
  // Registered name without Google Benchmark's "/real_time/threads:N" suffix.
  std::string family_name() const;
  // The name Google Benchmark reports (what the run JSON's run_name will be).
  std::string run_name() const;
  // The same workload, params, placement and threads under another strategy.
  std::string run_name_with_strategy(std::string_view other) const;
};

}  // namespace rcbench::harness
