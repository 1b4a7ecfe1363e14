// Exceptions thrown by rcbench::topo. Messages are complete sentences meant for the user
// (the CLI prints them as they are).
#pragma once

#include <stdexcept>
#include <string>

namespace rcbench::topo {

// A topology could not be loaded, a PU or NUMA node does not exist, or the machine
// refused an operation (pinning, memory binding).
class TopologyError : public std::runtime_error {
 public:
  explicit TopologyError(const std::string& message) : std::runtime_error(message) {}
};

// A plan cannot be made on this topology with the allowed PUs (too many threads, no
// domain of the requested class large enough, ...).
class PlanError : public TopologyError {
 public:
  explicit PlanError(const std::string& message) : TopologyError(message) {}
};

}  // namespace rcbench::topo
