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

// foreign: one thread, on an object another (parked) thread owns: planned only for
// strategies whose objects have owners, beside their `private` (owner) row.
enum class Workload { private_objects, shared, false_sharing, handoff, mixed, foreign };

std::string_view to_string(Workload);
std::optional<Workload> parse_workload(std::string_view);

enum class BenchKind { refcount, overhead, pingpong };

// The two ways to measure core-to-core latency, each named after its source:
// two_line (rigtorp/c2clat: each side stores its own line and spins on the other's)
// and one_line_cas (nviennot/core-to-core-latency: both sides CAS one line).
enum class PingPongMethod { two_line, one_line_cas };
std::string_view to_string(PingPongMethod);

// Where the `shared` workload's object lives when its two threads sit on different NUMA
// nodes: a condition of the row, named in it (`/mem:local`, `/mem:remote`). `local`: the
// object's page on thread 0's node (thread 0 makes it, as in every other row); `remote`:
// on thread 1's node. `unplaced`: every other row, whose objects are where their maker's
// first touch put them, not part of the name and not checked. No interleaving: one
// object on one page cannot be spread over nodes.
enum class ObjectMemory { unplaced, local, remote };
std::string_view to_string(ObjectMemory);

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
  PingPongMethod method = PingPongMethod::two_line;  // pingpong: which method's figure
  counters::DomainConfig domain;
  unsigned ops_per_iteration = 16;      // ops per timed block (workloads::ops_per_block)
  ObjectMemory memory = ObjectMemory::unplaced;  // shared, two threads on two nodes only
  unsigned memory_node = 0;             // local/remote: the NUMA node (OS index) asked for
  double gil_window_cap_s = 0;          // > 0: the profile's cap on a GIL row's window (plan.hpp)

  int threads() const { return static_cast<int>(pus.size()); }
  // Registered name without Google Benchmark's "/real_time/threads:N" suffix.
  std::string family_name() const;
  // The name Google Benchmark reports (what the run JSON's run_name will be).
  std::string run_name() const;
  // The same workload, params, placement and threads under another strategy.
  std::string run_name_with_strategy(std::string_view other) const;
};

}  // namespace rcbench::harness
