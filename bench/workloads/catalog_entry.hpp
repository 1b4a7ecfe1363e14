// What a workload says about itself to the readers of a run (the run JSON's
// rcbench.catalog.workloads): display name, table order, and how its threads meet on
// memory, which is what report and results index select rows by. Each workload
// declares `static constexpr WorkloadEntry catalog` beside its code.
#pragma once

#include <string_view>

namespace rcbench::workloads {

// How the threads' ops meet on memory.
enum class Contention {
  none,             // each thread on an object and a line of its own
  one_object,       // every thread on one object
  one_line,         // objects of their own, packed onto shared cache lines
  transfer,         // objects made by one thread, released by the next
  partly_shared,    // objects of their own, a share of the ops on one common object
  owned_elsewhere,  // one thread on an object another thread owns and leaves alone
};

constexpr std::string_view to_string(Contention c) {
  switch (c) {
    case Contention::none: return "none";
    case Contention::one_object: return "one_object";
    case Contention::one_line: return "one_line";
    case Contention::transfer: return "transfer";
    case Contention::partly_shared: return "partly_shared";
    case Contention::owned_elsewhere: return "owned_elsewhere";
  }
  return "unknown";
}

struct WorkloadEntry {
  std::string_view display;
  int order;  // tables sort by it
  Contention contention;
  std::string_view summary;
};

}  // namespace rcbench::workloads
