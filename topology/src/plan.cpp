// Plans: which allowed PUs N threads use under compact, scatter and within:<class>.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>

#include "impl.hpp"

namespace rcbench::topo {

PlanRequest PlanRequest::parse(unsigned threads, std::string_view policy) {
  PlanRequest request;
  request.threads = threads;
  constexpr std::string_view kWithin = "within:";
  if (policy == "compact") {
    request.policy = Policy::compact;
  } else if (policy == "scatter") {
    request.policy = Policy::scatter;
  } else if (policy.substr(0, kWithin.size()) == kWithin) {
    const auto cls = parse_placement_class(policy.substr(kWithin.size()));
    if (!cls) {
      throw std::invalid_argument(fmt::format(
          "unknown placement class in policy \"{}\" (classes: same_pu, smt, l2, l3, numa, "
          "package, machine)",
          policy));
    }
    request.policy = Policy::within;
    request.within = *cls;
  } else {
    throw std::invalid_argument(fmt::format(
        "unknown placement policy \"{}\" (expected compact, scatter or within:<class>, e.g. "
        "within:l3)",
        policy));
  }
  return request;
}

std::string to_string(const PlanRequest& request) {
  switch (request.policy) {
    case Policy::compact:
      return "compact";
    case Policy::scatter:
      return "scatter";
    case Policy::within:
      return fmt::format("within:{}", to_string(request.within));
  }
  return "unknown";
}

namespace {

using Records = std::vector<const PuRecord*>;

// Outermost first. Below the last level are a core's hardware threads, which the
// scatter order handles separately (see scatter_order).
constexpr std::array<Level, 5> kScatterLevels{kPackage, kNuma, kL3, kL2, kCore};

// Groups `pus` by `domain_id`, keeping the order in which domains first appear.
std::vector<Records> group_by(const Records& pus, auto domain_id) {
  std::vector<Records> groups;
  std::map<std::uint32_t, std::size_t> index_of;
  for (const PuRecord* pu : pus) {
    const auto [it, inserted] = index_of.try_emplace(domain_id(*pu), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(pu);
  }
  return groups;
}

// Round-robin over the domains of each level, recursively: the first PU of every
// package, then of every NUMA domain inside them, and so on down to cores.
Records round_robin(const Records& pus, std::size_t level = 0) {
  if (level == kScatterLevels.size() || pus.size() <= 1) return pus;
  const Level key = kScatterLevels[level];
  std::vector<Records> groups = group_by(pus, [key](const PuRecord& pu) { return pu.domain[key]; });
  if (groups.size() == 1) return round_robin(pus, level + 1);
  std::size_t longest = 0;
  for (Records& group : groups) {
    group = round_robin(group, level + 1);
    longest = std::max(longest, group.size());
  }
  Records order;
  order.reserve(pus.size());
  for (std::size_t round = 0; round < longest; ++round) {
    for (const Records& group : groups) {
      if (round < group.size()) order.push_back(group[round]);
    }
  }
  return order;
}

// The first hardware thread of every core, spread by round_robin, then the second ones,
// and so on: on a hybrid machine (Raptor Lake: SMT P-cores, single-thread E-cores) a plain
// round-robin would reach a P-core's second thread before the last E-cores. A prefix of
// this order is the scatter plan for that many threads, so plans for N and N+1 threads
// differ by one PU.
Records scatter_order(const Records& pus) {
  std::vector<Records> by_thread_rank;
  std::map<std::uint32_t, std::size_t> threads_seen_in_core;
  for (const PuRecord* pu : pus) {
    // A PU without a Core object is a core of its own.
    const std::size_t rank = pu->domain[kCore] == 0 ? 0 : threads_seen_in_core[pu->domain[kCore]]++;
    if (rank == by_thread_rank.size()) by_thread_rank.emplace_back();
    by_thread_rank[rank].push_back(pu);
  }
  Records order;
  order.reserve(pus.size());
  for (const Records& rank : by_thread_rank) {
    const Records spread = round_robin(rank);
    order.insert(order.end(), spread.begin(), spread.end());
  }
  return order;
}

CpuList first_n(const Records& order, unsigned n) {
  std::vector<unsigned> pus;
  for (std::size_t i = 0; i < n; ++i) pus.push_back(order[i]->os_index);
  return CpuList(std::move(pus));
}

std::string pus_word(std::size_t n) { return n == 1 ? "PU" : "PUs"; }

}  // namespace

CpuList Topology::plan(const PlanRequest& request) const {
  const unsigned n = request.threads;
  if (n == 0) throw PlanError("a plan needs at least one thread");
  Records allowed;
  for (const PuRecord& record : impl_->pus) {
    if (allowed_.contains(record.os_index)) allowed.push_back(&record);
  }
  if (n > allowed.size()) {
    throw PlanError(
        fmt::format("{} threads need {} PUs, but only {} {} allowed ({}; the machine has {} PUs)",
                    n, n, allowed.size(), allowed.size() == 1 ? "is" : "are", allowed_.to_string(),
                    impl_->machine_pus.size()));
  }
  switch (request.policy) {
    case Policy::compact:
      return first_n(allowed, n);
    case Policy::scatter:
      return first_n(scatter_order(allowed), n);
    case Policy::within:
      break;
  }

  const PlacementClass cls = request.within;
  Records with_domain;
  for (const PuRecord* pu : allowed) {
    if (domain_of(*pu, cls) != 0) with_domain.push_back(pu);
  }
  if (with_domain.empty()) {
    throw PlanError(fmt::format(
        "{} threads within one {}: this machine has no {} domain (hwloc shows no such object)", n,
        to_string(cls), to_string(cls)));
  }
  // The first domain with room, unless a later one lets the threads be exactly `cls` apart
  // (Raptor Lake within:l2 for 2 threads: an E-core cluster's L2, not a P-core's two
  // hardware threads, although both are "within one L2").
  std::size_t largest = 0;
  std::optional<CpuList> first_with_room;
  for (const Records& domain :
       group_by(with_domain, [cls](const PuRecord& pu) { return domain_of(pu, cls); })) {
    largest = std::max(largest, domain.size());
    if (domain.size() < n) continue;
    CpuList pus = first_n(scatter_order(domain), n);
    if (n == 1 || nearest_common_class(pus) == cls) return pus;
    if (!first_with_room) first_with_room = std::move(pus);
  }
  if (first_with_room) return *first_with_room;
  throw PlanError(fmt::format("{} threads within one {}: the largest {} has {} allowed {}", n,
                              to_string(cls), to_string(cls), largest, pus_word(largest)));
}

}  // namespace rcbench::topo
