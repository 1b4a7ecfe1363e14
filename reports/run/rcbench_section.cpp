// The types of the "context" and "rcbench" fields that report and compare read
// (docs/run-format.md), as tables. A field may be absent (an older harness, a fact it
// could not learn); when present it must have its type, because the readers downstream
// take it as that type: compare's profile and git revision are read as strings, the
// report's caveats read every virtual.evidence entry as a string, PU counts and numbers
// become ints. Fields nobody interprets (perf.source, context.caches, ...) are not listed.
#include "run/field.hpp"

#include <fmt/core.h>

#include <climits>
#include <span>
#include <string>
#include <string_view>

namespace rcbench::runjson::detail {
namespace {

enum class Kind {
  object,
  object_or_null,  // null: the harness looked and found none (machine.midr off Arm)
  string,          // null refused: read as a string downstream
  string_or_null,  // null: the harness could not learn it
  boolean,
  boolean_or_null,  // null: the question does not arise (machine.lse off aarch64)
  count,           // an integer >= 0 that fits an int (PU numbers, numbers of caches)
  positive_count,  // an integer >= 1 that fits an int (PUs of a machine, threads)
  non_negative,    // a finite number >= 0 (ticks, load averages, clock rates)
  string_array,
  count_array,
  latency_matrix,  // an array of arrays, each entry a number > 0 or null (not sampled)
};

struct Rule {
  std::string_view pointer;  // relative to the object checked; a parent before its children
  Kind kind;
};

constexpr Rule kContextRules[] = {
    {"/num_cpus", Kind::positive_count},
    {"/mhz_per_cpu", Kind::non_negative},
    {"/host_name", Kind::string_or_null},
    {"/date", Kind::string_or_null},
    {"/library_build_type", Kind::string_or_null},
};

constexpr Rule kRcbenchRules[] = {
    {"/format", Kind::string},
    {"/profile", Kind::string},
    {"/method_version", Kind::positive_count},
    {"/probe_method", Kind::string_or_null},
    {"/command_line", Kind::string_or_null},
    {"/started_at", Kind::string_or_null},
    {"/finished_at", Kind::string_or_null},
    {"/build", Kind::object},
    {"/build/compiler", Kind::string_or_null},
    {"/build/flags", Kind::string_or_null},
    {"/build/build_type", Kind::string_or_null},
    {"/build/git_revision", Kind::string},
    // Issue 20 (absent from older runs): what the atomics compiled to, and the machine
    // that ran them; the report's machine section shows them.
    {"/build/isa", Kind::string_or_null},
    {"/build/atomics_mode", Kind::string_or_null},
    {"/machine", Kind::object},
    {"/machine/cpu_model", Kind::string_or_null},
    {"/machine/vendor", Kind::string_or_null},
    {"/machine/kernel", Kind::string_or_null},
    {"/machine/hostname", Kind::string_or_null},
    {"/machine/governor", Kind::string_or_null},
    {"/machine/isa", Kind::string_or_null},
    {"/machine/lse", Kind::boolean_or_null},
    {"/machine/midr", Kind::object_or_null},
    {"/machine/midr/value", Kind::string},
    {"/machine/midr/implementer", Kind::count},
    {"/machine/midr/implementer_name", Kind::string_or_null},
    {"/machine/midr/part", Kind::count},
    {"/machine/midr/part_name", Kind::string_or_null},
    {"/machine/midr/variant", Kind::count},
    {"/machine/midr/revision", Kind::count},
    {"/machine/midr_source", Kind::string_or_null},
    {"/machine/virtual", Kind::object},
    {"/machine/virtual/is_virtual", Kind::boolean},
    {"/machine/virtual/evidence", Kind::string_array},
    {"/machine/topology", Kind::object},
    {"/machine/topology/pus", Kind::positive_count},
    {"/machine/topology/cores", Kind::count},
    {"/machine/topology/packages", Kind::count},
    {"/machine/topology/numa_nodes", Kind::count},
    {"/machine/topology/l3_caches", Kind::count},
    {"/machine/topology/l2_caches", Kind::count},
    {"/machine/topology/classes_present", Kind::string_array},
    {"/perf", Kind::object},
    {"/environment", Kind::object},
    {"/environment/start", Kind::object},
    {"/environment/end", Kind::object},
    {"/calibration", Kind::object},
    {"/calibration/pingpong_matrix", Kind::object},
    {"/calibration/pingpong_matrix/pus", Kind::count_array},
    {"/calibration/pingpong_matrix/one_way_ns", Kind::latency_matrix},
    {"/calibration/pingpong_matrix/statistic", Kind::string_or_null},
    // The embedded interpreter of the real-interpreter rows (cpython<MAJOR><MINOR>_eval /
    // _release): the report carries the block into report.json, whose schema types these
    // fields, and reads version and eval_every_ops for its tables.
    {"/cpython", Kind::object},
    {"/cpython/available", Kind::boolean},
    {"/cpython/reason", Kind::string_or_null},
    {"/cpython/version", Kind::string_or_null},
    {"/cpython/version_hex", Kind::count},
    {"/cpython/gil_disabled", Kind::boolean},
    {"/cpython/library", Kind::string_or_null},
    {"/cpython/pkg_config", Kind::string_or_null},
    {"/cpython/eval_every_ops", Kind::positive_count},
    {"/cpython/switch_interval_s", Kind::non_negative},
};

// rcbench.benchmarks[i]: what the run planned for a row; compare and report look rows up
// by name and read the baselines, the pinning verdict and the PUs.
constexpr Rule kPlannedRowRules[] = {
    {"/name", Kind::string},
    {"/kind", Kind::string_or_null},
    {"/strategy", Kind::string_or_null},
    {"/workload", Kind::string_or_null},
    {"/params", Kind::object},
    {"/placement", Kind::string_or_null},
    {"/placement_class", Kind::string_or_null},
    {"/pinned", Kind::boolean},
    {"/pus", Kind::count_array},
    {"/probe_partner_pu", Kind::count},
    {"/threads", Kind::positive_count},
    {"/ops_per_iteration", Kind::non_negative},
    {"/baseline", Kind::string},
    {"/baseline_lock", Kind::string},
    {"/baseline_real", Kind::string},  // the real interpreter's eval row (cpython<MAJOR><MINOR>_eval)
    {"/mem", Kind::string},              // the object's memory placement (mem:<m> in the name)
    {"/mem_node_wanted", Kind::count},   // the NUMA node that placement asked for
    {"/mem_method", Kind::string},       // "first-touch" | "bind"
};

// rcbench.perf.events[i] (docs/events.md).
constexpr Rule kEventRules[] = {
    {"/name", Kind::string},
    {"/available", Kind::boolean},
    {"/reason", Kind::string_or_null},
    {"/source", Kind::string_or_null},
};

// Each sample of rcbench.environment, nested ({"start": {"steal_ticks": ..}}) and flat
// ("steal_ticks_start"): compare reads both spellings.
constexpr std::string_view kEnvironmentSamples[] = {"steal_ticks", "total_ticks", "ticks_per_s", "loadavg_1m",
                                                    "loadavg_5m"};

Field at(const Field& base, std::string_view pointer) {
  Field f = base;
  std::size_t start = 1;  // pointers here are "/a/b": no escapes needed
  while (start <= pointer.size()) {
    const std::size_t slash = std::min(pointer.find('/', start), pointer.size());
    f = f[pointer.substr(start, slash - start)];
    start = slash + 1;
  }
  return f;
}

void check_elements(const Field& array, Kind element) {
  const json* a = array.array();
  if (a == nullptr) return;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const Field e = array[i];
    switch (element) {
      case Kind::string: (void)e.string(); break;
      case Kind::count: (void)e.integer(0, INT_MAX); break;
      case Kind::latency_matrix:  // a row of the matrix
        for (std::size_t j = 0; e.array() != nullptr && j < e.value().size(); ++j) {
          const Field cell = e[j];
          if (cell.value().is_null()) continue;
          if (*cell.number() <= 0) cell.fail(fmt::format("a latency must be > 0, got {}", cell.value().dump()));
        }
        break;
      default: break;
    }
  }
}

void check(const Field& f, Kind kind) {
  if (!f.present()) return;
  switch (kind) {
    case Kind::object: (void)f.object(); break;
    case Kind::object_or_null:
      if (!f.value().is_null()) (void)f.object();
      break;
    case Kind::string: (void)f.string(); break;
    case Kind::string_or_null:
      if (!f.value().is_null()) (void)f.string();
      break;
    case Kind::boolean: (void)f.boolean(); break;
    case Kind::boolean_or_null:
      if (!f.value().is_null()) (void)f.boolean();
      break;
    case Kind::count: (void)f.integer(0, INT_MAX); break;
    case Kind::positive_count: (void)f.integer(1, INT_MAX); break;
    case Kind::non_negative:
      if (*f.number() < 0) f.fail(fmt::format("must be >= 0, got {}", f.value().dump()));
      break;
    case Kind::string_array: check_elements(f, Kind::string); break;
    case Kind::count_array: check_elements(f, Kind::count); break;
    case Kind::latency_matrix: check_elements(f, Kind::latency_matrix); break;
  }
}

void check_all(const Field& base, std::span<const Rule> rules) {
  for (const Rule& r : rules) check(at(base, r.pointer), r.kind);
}

void check_each(const Field& array, std::span<const Rule> rules) {
  const json* a = array.array();
  for (std::size_t i = 0; a != nullptr && i < a->size(); ++i) {
    (void)array[i].object();
    check_all(array[i], rules);
  }
}

}  // namespace

void check_context(const Field& context) {
  if (context.object() != nullptr) check_all(context, kContextRules);
}

void check_rcbench(const Field& rcbench) {
  check_all(rcbench, kRcbenchRules);
  // Every other field of the block describes an interpreter that may not be there:
  // without "available" a reader cannot tell which.
  if (const Field cpython = rcbench["cpython"]; cpython.present() && !cpython["available"].present())
    cpython["available"].fail("missing: the cpython block must say whether the interpreter was available");
  check_each(rcbench["benchmarks"], kPlannedRowRules);
  check_each(rcbench["perf"]["events"], kEventRules);
  const Field env = rcbench["environment"];
  for (std::string_view sample : kEnvironmentSamples) {
    const std::string name(sample);
    for (const Field& f : {env["start"][name], env["end"][name], env[name + "_start"], env[name + "_end"]})
      check(f, Kind::non_negative);
  }
}

}  // namespace rcbench::runjson::detail
