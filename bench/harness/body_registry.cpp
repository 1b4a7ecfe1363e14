// Every strategy x workload body is instantiated here, in one translation unit of
// its own, so that editing the run code does not recompile them.
#include "body_registry.hpp"

#include "injected_slowdown.hpp"
#include "null_strategy.hpp"
#include "plan.hpp"
#include "refcount_body.hpp"
#include "strategy_dispatch.hpp"

#include "workloads/dispatch.hpp"

#include <stdexcept>

namespace rcbench::harness {

Body body_for(const BenchSpec& spec, const Runtime& rt) {
  switch (spec.kind) {
    case BenchKind::overhead: return &refcount_body<NullStrategy, workloads::PrivateObjects>;
    case BenchKind::pingpong: return &pingpong_body;
    case BenchKind::refcount: break;
  }
  Body body = nullptr;
  const auto base = split_strategy_name(spec.strategy).first;
  with_strategy(base, [&]<class S>() {
    if (rt.slowdown.applies_to(spec.strategy)) {
      // Test-only; the gate's rows are one-thread private rows.
      if (spec.workload != Workload::private_objects)
        throw std::invalid_argument("an injected slowdown applies to private rows only, not " + spec.run_name());
      body = &refcount_body<InjectedSlowdownT<S>, workloads::PrivateObjects>;
      return;
    }
    workloads::with_workload(spec.workload, [&]<template <class> class W>() { body = &refcount_body<S, W>; });
  });
  if (body == nullptr) throw std::invalid_argument("no strategy named " + spec.strategy);
  return body;
}

}  // namespace rcbench::harness
