// From a spec's Workload to its type: f.template operator()<W>() with W the
// workload's class template (PrivateObjects, SharedObject, ...).
#pragma once

#include "false_sharing.hpp"
#include "foreign_object.hpp"
#include "handoff.hpp"
#include "mixed.hpp"
#include "private_objects.hpp"
#include "shared_object.hpp"

#include "harness/null_strategy.hpp"

namespace rcbench::workloads {

template <class F>
decltype(auto) with_workload(harness::Workload w, F&& f) {
  using harness::Workload;
  switch (w) {
    case Workload::shared: return f.template operator()<SharedObject>();
    case Workload::false_sharing: return f.template operator()<FalseSharing>();
    case Workload::handoff: return f.template operator()<Handoff>();
    case Workload::mixed: return f.template operator()<Mixed>();
    case Workload::foreign: return f.template operator()<ForeignObject>();
    case Workload::private_objects: break;
  }
  return f.template operator()<PrivateObjects>();
}

// Ops in one timed block of the workload (the same for every strategy).
inline unsigned ops_per_block(harness::Workload w) {
  return with_workload(w, []<template <class> class W>() { return W<harness::NullStrategy>::kOpsPerBlock; });
}

}  // namespace rcbench::workloads
