#include "report/sections.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace rcbench::report::detail {
namespace {

using nlohmann::json;

// obj[key] when obj is an object that has it, else null: the run may come from a
// raw Google Benchmark file or an older harness, and absent facts stay absent.
json get(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  return it == obj.end() ? json(nullptr) : *it;
}

const json& rc(const runjson::Run& run) { return run.rcbench; }

json turbo_flag(const json& v) {
  if (v.is_boolean()) return v;
  if (v == "on") return true;
  if (v == "off") return false;
  return nullptr;
}

json integer_or_null(const json& v) {
  if (v.is_number_integer()) return v;
  if (!v.is_string()) return nullptr;
  const std::string text = v.get<std::string>();
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size() ? json(value) : json(nullptr);
}

json positive_or_null(const json& v) { return v.is_number() && v.get<double>() > 0 ? v : json(nullptr); }

enum class Shape { number, text, texts };

bool has_shape(const json& v, Shape shape) {
  switch (shape) {
    case Shape::number: return v.is_number() && v.get<double>() >= 0;
    case Shape::text: return v.is_string();
    case Shape::texts:
      return v.is_array() && std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); });
  }
  return false;
}

// The objects of an array that have these fields in these shapes, or null when none
// has: the report describes what it can check and says "not recorded" for the rest.
json well_formed(const json& v, std::initializer_list<std::pair<const char*, Shape>> fields) {
  if (!v.is_array()) return nullptr;
  json out = json::array();
  for (const json& e : v)
    if (std::all_of(fields.begin(), fields.end(), [&](const auto& f) { return has_shape(get(e, f.first), f.second); }))
      out.push_back(e);
  return out.empty() ? json(nullptr) : out;
}

}  // namespace

json machine_section(const runjson::Run& run) {
  const json m = get(rc(run), "machine");
  const json topo = get(m, "topology");
  const json virt = get(m, "virtual");
  json out = json::object();
  for (const char* k : {"cpu_model", "vendor", "kernel", "hostname", "governor"}) out[k] = get(m, k);
  // The run records these as the text it read ("on"/"off"/"unknown", "2"); the report
  // schema has them as what they mean: a boolean, an integer, or null when unknown.
  out["turbo"] = turbo_flag(get(m, "turbo"));
  out["perf_event_paranoid"] = integer_or_null(get(m, "perf_event_paranoid"));
  for (const char* k : {"packages", "numa_nodes", "l3_caches", "l2_caches", "cores", "pus", "smt",
                        "allowed_pus", "classes_present"})
    out[k] = get(topo, k);
  // Added with issue 18 (older runs: null): the clock, memory, NUMA nodes and cache
  // sizes with the PUs sharing each instance. Entries of the wrong shape are dropped.
  for (const char* k : {"cpu_mhz", "cpufreq_max_mhz", "mem_total_bytes"}) out[k] = positive_or_null(get(m, k));
  out["memory_bytes"] = positive_or_null(get(topo, "memory_bytes"));
  using S = Shape;
  out["numa"] = well_formed(get(topo, "numa"), {{"node", S::number}, {"memory_bytes", S::number}, {"pus", S::text}});
  out["cache_levels"] = well_formed(get(topo, "caches"), {{"level", S::number}, {"type", S::text},
                                                          {"size_bytes", S::number}, {"sharing", S::texts}});
  // Added with issue 20 (older runs: null): the machine's instruction set, whether its CPU
  // has LSE atomics, and on Arm the MIDR (kept only when it has its value and numbers).
  out["isa"] = get(m, "isa").is_string() ? get(m, "isa") : json(nullptr);
  out["lse"] = get(m, "lse").is_boolean() ? get(m, "lse") : json(nullptr);
  const json midr = get(m, "midr");
  const bool midr_ok = get(midr, "value").is_string() && get(midr, "implementer").is_number_unsigned() &&
                       get(midr, "part").is_number_unsigned();
  out["midr"] = midr_ok ? midr : json(nullptr);
  out["midr_source"] = midr_ok && get(m, "midr_source").is_string() ? get(m, "midr_source") : json(nullptr);
  out["is_virtual"] = get(virt, "is_virtual");
  out["virtual_evidence"] = get(virt, "evidence").is_array() ? get(virt, "evidence") : json::array();
  out["num_cpus"] = get(run.context, "num_cpus");
  out["mhz_per_cpu"] = get(run.context, "mhz_per_cpu");
  out["caches"] = get(run.context, "caches");
  if (out["hostname"].is_null()) out["hostname"] = get(run.context, "host_name");
  return out;
}

json build_section(const runjson::Run& run) {
  const json b = get(rc(run), "build");
  json out = json::object();
  for (const char* k : {"compiler", "flags", "build_type", "git_revision"}) out[k] = get(b, k);
  // Issue 20 (older runs: null): the ISA the binary was built for and its atomics mode.
  for (const char* k : {"isa", "atomics_mode"}) out[k] = get(b, k).is_string() ? get(b, k) : json(nullptr);
  out["benchmark_library_build_type"] = get(run.context, "library_build_type");
  return out;
}

json run_section(const runjson::Run& run) {
  json out = json::object();
  out["source"] = run.source;
  out["format_version"] = get(rc(run), "format_version");
  out["profile"] = get(rc(run), "profile");
  out["command_line"] = get(rc(run), "command_line");
  out["started_at"] = get(rc(run), "started_at");
  out["finished_at"] = get(rc(run), "finished_at");
  out["date"] = out["started_at"].is_null() ? get(run.context, "date") : out["started_at"];
  std::size_t lo = 0, hi = 0;
  bool first = true;
  for (const runjson::Benchmark& b : run.benchmarks) {
    lo = first ? b.reps.size() : std::min(lo, b.reps.size());
    hi = first ? b.reps.size() : std::max(hi, b.reps.size());
    first = false;
  }
  out["repetitions"] = {{"min", lo}, {"max", hi}};
  out["benchmarks"] = run.benchmarks.size();
  // scripts/make_scale_fixture.py marks its synthetic runs; the report must say so first.
  if (const json f = get(rc(run), "fixture"); f.is_string()) out["fixture"] = f;
  return out;
}

json perf_section(const runjson::Run& run) {
  const json p = get(rc(run), "perf");
  json out = json::object();
  out["source"] = get(p, "source");
  out["events"] = json::array();
  out["available"] = json::array();
  out["unavailable"] = json::array();
  const json events = get(p, "events");
  if (events.is_array()) {
    for (const json& e : events) {
      if (!e.is_object()) continue;
      const json ev = {{"name", get(e, "name")},
                       {"available", get(e, "available").is_boolean() ? get(e, "available") : json(false)},
                       {"reason", get(e, "reason").is_string() ? get(e, "reason") : json("")},
                       {"source", get(e, "source")}};
      out["events"].push_back(ev);
      if (ev["available"].get<bool>()) {
        out["available"].push_back(ev["name"]);
      } else {
        out["unavailable"].push_back({{"name", ev["name"]}, {"reason", ev["reason"]}});
      }
    }
  }
  // What the run actually carries, whatever the declaration says.
  std::set<std::string> counted;
  for (const runjson::Benchmark& b : run.benchmarks)
    for (const runjson::Repetition& r : b.reps)
      for (const auto& [k, v] : r.counters)
        if (k.rfind("papi:", 0) == 0) counted.insert(k.substr(5));
  out["counted_events"] = counted;
  return out;
}

json environment_section(const runjson::Run& run) {
  json env = get(rc(run), "environment");
  if (!env.is_object()) return nullptr;
  const json start = get(env, "steal_ticks_start");
  const json end = get(env, "steal_ticks_end");
  if (start.is_number() && end.is_number())
    env["steal_ticks_during_run"] = end.get<double>() - start.get<double>();
  return env;
}

json cpython_section(const runjson::Run& run) {
  // Carried through as recorded: the run reader has checked the types report.json's
  // schema gives these fields; runs from before the real-interpreter rows have no block.
  const json block = get(rc(run), "cpython");
  return block.is_object() ? block : json(nullptr);
}

std::vector<std::string> caveats(const Report& report) {
  std::vector<std::string> out;
  if (const json f = report.run.value("fixture", json(nullptr)); f.is_string())
    out.push_back(fmt::format("NOT A MEASUREMENT: this run is a fixture ({}). No figure, ratio or plot in this "
                              "report describes a machine.", f.get<std::string>()));
  if (const auto idle = std::count_if(report.records.begin(), report.records.end(),
                                      [](const Record& r) { return r.has_flag("idle_threads"); });
      idle > 0)
    out.push_back(fmt::format(
        "{} row{} had repetitions in which not every thread ran an op (flag idle_threads, marker i): "
        "a GIL hands over once a switch interval, and the profile caps a GIL row's window "
        "(gil_window_cap_s), so such a row is the figure of the threads that had a turn. The run "
        "records threads_worked and ops_per_thread_min/max per repetition.",
        idle, idle == 1 ? "" : "s"));
  const json& m = report.machine;
  if (m.value("is_virtual", json(false)) == true) {
    std::string evidence;
    for (const json& e : m["virtual_evidence"]) evidence += (evidence.empty() ? "" : "; ") + e.get<std::string>();
    out.push_back(fmt::format(
        "Virtual machine{}: the host can move vCPUs between physical cores, so coherence "
        "latency (and contended figures) fall into modes; hardware PMU events are usually "
        "unavailable. Every record carries the flag virtual_machine.",
        evidence.empty() ? "" : " (" + evidence + ")"));
  }
  if (const json g = m.value("governor", json(nullptr)); g.is_string() && g != "performance")
    out.push_back(fmt::format("CPU frequency governor is '{}', not 'performance': clock speed may change during the run.",
                              g.get<std::string>()));
  if (m.value("turbo", json(nullptr)) == true)
    out.push_back("Turbo/boost is on: single-thread figures depend on temperature and on load on other cores.");
  if (const json bt = report.build.value("build_type", json(nullptr)); bt.is_string() && bt != "Release")
    out.push_back(fmt::format("rcbench was built as '{}', not Release: figures are not representative.",
                              bt.get<std::string>()));
  if (report.environment.is_object() && report.environment.contains("steal_ticks_during_run")) {
    const double steal = report.environment["steal_ticks_during_run"].get<double>();
    if (steal > 0)
      out.push_back(fmt::format("The hypervisor stole {:g} ticks of CPU time during the run (USER_HZ ticks, "
                                "usually 10 ms each, summed over CPUs).", steal));
  }
  if (!report.perf["unavailable"].empty())
    out.push_back(fmt::format("{} performance event(s) could not be counted (see Hardware counters); "
                              "no figure stands in for them.", report.perf["unavailable"].size()));

  struct FlagText { std::string flag, meaning; };
  const FlagText flags[] = {
      {"high_variance", fmt::format("the per-thread ns/op spread over repetitions (cv) exceeds {:g}%",
                                    report.thresholds.high_variance_cv * 100)},
      {"multimodal", "repetitions ran in different coherence-latency modes; figures use the dominant mode"},
      {"unstable_mode", "some repetitions changed mode between their before and after probes; left out"},
      {"baseline_other_mode", "the row's dominant mode differs from its GIL baseline's: the ratio compares different conditions"},
      {"migrated", "a pinned thread moved to another PU during a timed region"},
      {"unpinned", "threads did not run (only) on the planned PUs"},
      {"failed_repetitions", "Google Benchmark reported errors for some repetitions"},
      {"few_repetitions", "fewer than 3 repetitions: no spread can be judged"},
      {"reps_left_out", fmt::format("some repetitions were flagged ({}) and are left out of every figure",
                                    runjson::left_out_rules())},
      {"no_figure", "every repetition was left out: the row has no figure"},
      {"corrected_not_positive", "a corrected figure is <= 0: the op costs no more than the null op, within its noise"},
  };
  const std::size_t n = report.records.size();
  for (const FlagText& f : flags) {
    const auto count = std::count_if(report.records.begin(), report.records.end(),
                                     [&](const Record& r) { return r.has_flag(f.flag); });
    if (count > 0)
      out.push_back(fmt::format("{} of {} records flagged {}: {}.", count, n, f.flag, f.meaning));
  }
  return out;
}

}  // namespace rcbench::report::detail
