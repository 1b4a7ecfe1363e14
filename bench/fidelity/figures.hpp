// THE table of the fidelity check: every figure, the rcbench row it is read from, the
// counter, and the independent measurement it is compared with. Row and counter names
// are those of run JSON method 2 (docs/run-format.md).
#pragma once

#include <array>
#include <string_view>

#if RCBENCH_WITH_CPYTHON
#include <patchlevel.h>  // PY_MAJOR_VERSION, PY_MINOR_VERSION: the real rows' names
#define RCF_STR2(x) #x
#define RCF_STR(x) RCF_STR2(x)
#endif

namespace rcbench::fidelity {

// What a figure is, which decides its counter and whether it is corrected.
enum class Scope {
  single,       // one thread, thread CPU ns per op; corrected by the null row
  pair_thread,  // two threads, wall ns per op per thread
  pair_total,   // two threads, wall window / all ops
  one_way,      // ping-pong, one-way ns
};

// The independent measurements (independent_loops.hpp, pingpong.hpp).
enum class Independent {
  empty, plain, atomic, cas, biased_owner, biased_nonowner, immortal, immortal_fallthrough,
  shared_thread, shared_total, false_sharing_8, false_sharing_128,
  pingpong_two_line_min, pingpong_one_line_cas_min, pingpong_one_line_cas_mean,
  cpython_eval,
};

// The rcbench counter each scope is read from (docs/run-format.md), and its unit.
struct ScopeCounters {
  Scope scope;
  std::string_view unit;
  std::string_view counter;
};
inline constexpr std::array<ScopeCounters, 4> kScopeCounters{{
    {Scope::single, "ns per op, 1 thread, thread CPU", "cpu_ns_per_op_thread"},
    {Scope::pair_thread, "ns per op per thread, 2 threads, wall", "ns_per_op_thread"},
    {Scope::pair_total, "ns per op, window / all ops, 2 threads, wall", "ns_per_op_total"},
    {Scope::one_way, "ns one way, wall", "pingpong_ns"},
}};

// "{P}" stands for the placement of the pair rcbench uses for two threads.
struct Figure {
  std::string_view key;    // short, stable: used in the ratio table below
  std::string_view label;  // what the reader sees
  Scope scope;
  std::string_view row;    // the rcbench row
  Independent independent;
};

inline constexpr std::string_view kNullRow = "calibration/overhead/placement:single/real_time/threads:1";

#if RCBENCH_WITH_CPYTHON
inline constexpr std::size_t kRealInterpreterFigures = 1;
#else
inline constexpr std::size_t kRealInterpreterFigures = 0;
#endif

inline constexpr std::array<Figure, 15 + kRealInterpreterFigures> kFigures{{
    {"null", "empty loop / null block", Scope::single, kNullRow, Independent::empty},
    {"plain", "plain (load, add, store)", Scope::single,
     "refcount/plain/private/placement:single/real_time/threads:1", Independent::plain},
    {"atomic", "atomic (lock add, lock xadd)", Scope::single,
     "refcount/atomic/private/placement:single/real_time/threads:1", Independent::atomic},
    {"cas", "CAS loops", Scope::single,
     "refcount/atomic_cas/private/placement:single/real_time/threads:1", Independent::cas},
    {"owner", "biased, owner", Scope::single,
     "refcount/biased/private/placement:single/real_time/threads:1", Independent::biased_owner},
    {"nonowner", "biased, non-owner", Scope::single,
     "refcount/biased/foreign/placement:single/real_time/threads:1", Independent::biased_nonowner},
    // The compiled shape of `if (immortal) [[likely]] return;`: the skip falls through.
    {"immortal", "immortal (skip falls through)", Scope::single,
     "refcount/immortal/private/placement:single/real_time/threads:1", Independent::immortal_fallthrough},
    // The same ops with the skip as a taken branch: what branch layout alone does.
    {"immortal_taken", "immortal, indep. skip is a taken branch (layout only)", Scope::single,
     "refcount/immortal/private/placement:single/real_time/threads:1", Independent::immortal},
    {"shared_thread", "atomic, one shared counter", Scope::pair_thread,
     "refcount/atomic/shared/placement:{P}/real_time/threads:2", Independent::shared_thread},
    {"shared_total", "atomic, one shared counter", Scope::pair_total,
     "refcount/atomic/shared/placement:{P}/real_time/threads:2", Independent::shared_total},
    {"fs8", "atomic, false sharing, 8 B apart", Scope::pair_thread,
     "refcount/atomic/false_sharing/pad:8/placement:{P}/real_time/threads:2", Independent::false_sharing_8},
    {"fs128", "atomic, false sharing, 128 B apart", Scope::pair_thread,
     "refcount/atomic/false_sharing/pad:128/placement:{P}/real_time/threads:2",
     Independent::false_sharing_128},
    {"pp2", "ping-pong, two lines (c2clat), min", Scope::one_way,
     "calibration/pingpong_two_line/placement:{P}/real_time/threads:2",
     Independent::pingpong_two_line_min},
    {"pp1", "ping-pong, one line CAS, min", Scope::one_way,
     "calibration/pingpong_one_line_cas/placement:{P}/real_time/threads:2",
     Independent::pingpong_one_line_cas_min},
    {"pp1_mean", "ping-pong, one line CAS, indep. = mean (core-to-core-latency's statistic)", Scope::one_way,
     "calibration/pingpong_one_line_cas/placement:{P}/real_time/threads:2",
     Independent::pingpong_one_line_cas_mean},
#if RCBENCH_WITH_CPYTHON
    // The real interpreter (bench/cpython): Py_INCREF/Py_DECREF under the GIL and a
    // trivial Python call every 64 ops, against the same written out (interpreter_loop.hpp).
    {"cpython_eval", "real CPython, trivial call every 64 ops", Scope::single,
     "refcount/cpython" RCF_STR(PY_MAJOR_VERSION) RCF_STR(PY_MINOR_VERSION)
     "_eval/private/placement:single/real_time/threads:1",
     Independent::cpython_eval},
#endif
}};

// Ratios within each side (numerator key, denominator key): does rcbench rank and
// scale the strategies as the independent loops do?
struct RatioFigure {
  std::string_view num, den;
};
inline constexpr std::array<RatioFigure, 8 + kRealInterpreterFigures> kRatios{{
    {"atomic", "plain"},
    {"cas", "plain"},
    {"cas", "atomic"},
    {"owner", "plain"},
    {"nonowner", "owner"},
    {"immortal", "plain"},
    {"shared_thread", "atomic"},
    {"fs8", "fs128"},
#if RCBENCH_WITH_CPYTHON
    {"cpython_eval", "plain"},
#endif
}};

}  // namespace rcbench::fidelity
