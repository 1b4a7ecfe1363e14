// Domain and thread handle for strategies whose objects need no shared state
// (plain, atomic, immortal): the domain only checks attach() indices, poll() and
// detach() do nothing.
#pragma once

#include "config_checks.hpp"
#include "refcounter.hpp"

#include <cstddef>

namespace rcbench::counters {

struct IndexThread {
  std::size_t index = 0;
};

class StatelessDomain {
 public:
  explicit StatelessDomain(DomainConfig config) : config_(validated(config)) {}

  IndexThread attach(std::size_t index) const {
    check_attach_index(index, config_);
    return IndexThread{index};
  }
  template <class F>
  void poll(IndexThread&, F&&) const noexcept {}
  void detach(IndexThread&) const noexcept {}

  const DomainConfig& config() const noexcept { return config_; }

 private:
  DomainConfig config_;
};

}  // namespace rcbench::counters
