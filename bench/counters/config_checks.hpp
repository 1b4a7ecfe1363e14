// Clear errors for bad input at the two places a run's parameters enter a
// strategy: constructing a Domain and attaching a thread. Both happen outside the
// timed region, so they may throw.
#pragma once

#include "refcounter.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>

namespace rcbench::counters {

inline const DomainConfig& validated(const DomainConfig& config) {
  if (config.max_threads == 0) {
    throw std::invalid_argument("DomainConfig.max_threads must be at least 1 (got 0)");
  }
  if (config.flush_threshold == 0) {
    throw std::invalid_argument(
        "DomainConfig.flush_threshold must be at least 1 (1 = fold every op), got 0");
  }
  if (config.switch_interval_us == 0) {
    throw std::invalid_argument(
        "DomainConfig.switch_interval_us must be at least 1 microsecond, got 0");
  }
  return config;
}

inline void check_attach_index(std::size_t index, const DomainConfig& config) {
  if (index >= config.max_threads) {
    throw std::out_of_range("attach(" + std::to_string(index) + "): thread index must be below " +
                            "DomainConfig.max_threads = " + std::to_string(config.max_threads));
  }
}

}  // namespace rcbench::counters
