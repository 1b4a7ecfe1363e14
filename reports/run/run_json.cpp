// Loads a run JSON into Run (see run_json.hpp for what is kept and why). Every field is
// read through detail::Field, which checks its type and names it by JSON pointer.
#include "run/run_json.hpp"

#include "run/field.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace rcbench::runjson {
namespace {

using detail::describe;
using detail::Field;
using nlohmann::json;

// Fields Google Benchmark 1.7.1's JSON reporter writes itself; every other numeric
// field of an entry is a user counter.
constexpr std::array<std::string_view, 22> kGoogleBenchmarkFields = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type",
    "repetitions", "repetition_index", "threads", "iterations", "real_time", "cpu_time",
    "time_unit", "aggregate_name", "aggregate_unit", "error_occurred", "error_message",
    "label", "big_o", "rms", "complexity", "allocs_per_iter", "max_bytes_used"};

bool is_gb_field(std::string_view key) {
  return std::find(kGoogleBenchmarkFields.begin(), kGoogleBenchmarkFields.end(), key) !=
         kGoogleBenchmarkFields.end();
}

double ns_per_unit(const Field& unit_field) {
  const std::string unit = unit_field.string().value_or("ns");  // Google Benchmark's default
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  unit_field.fail(fmt::format("unknown time_unit '{}' (expected ns, us, ms or s)", unit));
}

// What a counter's name says it is (docs/run-format.md's table): a duration (ns/op,
// a probe's latency) is > 0 or the row is nonsense (-5 ns/op would be published as the
// fastest row); a PU number becomes an int downstream (-1: sched_getcpu failed).
bool is_duration(std::string_view key) {
  return key.find("ns_per_op") != std::string_view::npos ||
         (key.size() >= 3 && key.substr(key.size() - 3) == "_ns");
}
bool is_pu_number(std::string_view key) {
  return key.size() > 4 && key[0] == 't' && key.substr(key.size() - 3) == "_pu";
}

void check_rcbench_identity(const Field& rc) {
  if (rc.object() == nullptr) return;
  if (const auto format = rc["format"].string(); format && *format != "rcbench-run")
    rc["format"].fail(fmt::format("rcbench.format is \"{}\", expected \"rcbench-run\"", *format));
  const Field version = rc["format_version"];
  if (!version.present()) rc.fail("rcbench.format_version is missing");
  if (!version.value().is_number_integer() || version.value().get<long long>() != kKnownFormatVersion)
    version.fail(fmt::format("unknown rcbench.format_version {} (this rcbench reads version {}; a newer "
                             "rcbench wrote this file?)",
                             version.value().is_number() ? version.value().dump() : describe(version.value()),
                             kKnownFormatVersion));
}

Repetition read_repetition(const Field& entry, int index) {
  Repetition rep;
  rep.index = index;
  const Field real_time = entry["real_time"];
  if (!real_time.present_non_null()) real_time.fail("real_time is missing or null");
  const double t = *real_time.number();
  if (!(t > 0)) real_time.fail(fmt::format("a time must be > 0, got {}", real_time.value().dump()));
  rep.real_time_ns = t * ns_per_unit(entry["time_unit"]);
  if (!std::isfinite(rep.real_time_ns)) real_time.fail("overflows a double when converted to ns");

  const Field iterations = entry["iterations"];
  if (!iterations.present()) iterations.fail("iterations is missing");
  rep.iterations = *iterations.integer(1, std::numeric_limits<long long>::max());

  for (const auto& [key, value] : entry.value().items()) {
    if (is_gb_field(key) || value.is_null()) continue;  // null (was NaN) -> absent
    const Field counter = entry[key];
    if (!value.is_number()) {  // not a counter (a label, a flag), unless its name says it is one
      if (is_duration(key) || is_pu_number(key))
        counter.fail(fmt::format("expected a number, got {}", value.dump()));
      continue;
    }
    const double v = *counter.number();
    if (key == "overlap" && !(v >= 0 && v <= 1))
      counter.fail(fmt::format("overlap is a share of the window, in [0, 1], got {}", value.dump()));
    if (is_duration(key) && !(v > 0)) counter.fail(fmt::format("a time must be > 0, got {}", value.dump()));
    if (is_pu_number(key)) (void)counter.integer(-1, INT_MAX);
    rep.counters.emplace(key, v);
  }
  return rep;
}

Run read_run(const Field& doc, RcbenchSection rcbench_section) {
  if (!doc.value().is_object()) doc.fail("top level is not a JSON object");
  const Field entries = doc["benchmarks"];
  if (!entries.present_non_null() || !entries.value().is_array())
    entries.fail("no \"benchmarks\" array (not a Google Benchmark JSON file?)");

  Run run;
  run.source = std::string(doc.source());
  const Field context = doc["context"];
  detail::check_context(context);
  if (context.present()) run.context = context.value();
  const Field rc = doc["rcbench"];
  if (rc.present_non_null()) {
    (void)rc.object();
    check_rcbench_identity(rc);
    detail::check_rcbench(rc);
    run.rcbench = rc.value();
    // Absent: a run from before method versions existed, i.e. method 1.
    if (const auto method = rc["method_version"].integer(1, INT_MAX)) run.method_version = static_cast<int>(*method);
    if (const Field catalog = rc["catalog"]; catalog.present())
      run.catalog = Catalog::from_field(catalog, CatalogSource::run);
    else
      run.catalog = build_catalog_or_empty();
  } else if (rcbench_section == RcbenchSection::required) {
    rc.fail("no \"rcbench\" object: not a run JSON written by `rcbench run` (Google Benchmark's own "
            "output has no GIL baselines, machine or environment to report or gate on)");
  }

  std::unordered_map<std::string, json> meta_by_name;
  for (const json& m : run.rcbench.is_object() ? run.rcbench.value("benchmarks", json::array()) : json::array())
    if (m.contains("name")) meta_by_name.emplace(m["name"].get<std::string>(), m);

  std::unordered_map<std::string, std::size_t> index_by_name;
  std::map<std::pair<std::string, int>, std::size_t> entry_of_repetition;  // -> index in benchmarks[]
  for (std::size_t i = 0; i < entries.value().size(); ++i) {
    const Field entry = entries[i];
    if (!entry.value().is_object()) entry.fail("not an object");
    const std::string run_type = entry["run_type"].string().value_or("iteration");
    if (run_type == "aggregate") continue;  // recomputed from the repetitions
    if (run_type != "iteration")
      entry["run_type"].fail(fmt::format("unknown run_type '{}' (expected iteration or aggregate)", run_type));
    const Field name_field = entry["run_name"];
    if (!name_field.present()) entry.fail("no \"run_name\" string");
    const std::string run_name = *name_field.string();

    const Field index_field = entry["repetition_index"];
    if (!index_field.present()) entry.fail("no \"repetition_index\"");
    const int index = static_cast<int>(*index_field.integer(0, INT_MAX));
    if (const auto [it, fresh] = entry_of_repetition.emplace(std::pair{run_name, index}, i); !fresh)
      index_field.fail(fmt::format("repetition {} of '{}' is also /benchmarks/{}: a copied entry would count as "
                                   "another sample",
                                   index, run_name, it->second));

    auto [it, inserted] = index_by_name.emplace(run_name, run.benchmarks.size());
    if (inserted) {
      Benchmark b;
      b.run_name = run_name;
      try {
        b.name = BenchmarkName::parse(run_name);
      } catch (const InputError& e) {
        name_field.fail(e.what());
      }
      if (auto m = meta_by_name.find(run_name); m != meta_by_name.end()) b.meta = m->second;
      run.benchmarks.push_back(std::move(b));
    }
    Benchmark& b = run.benchmarks[it->second];
    if (const auto threads = entry["threads"].integer(1, INT_MAX)) {
      if (inserted && run_name.find("/threads:") == std::string::npos) {
        b.name.threads = static_cast<int>(*threads);
      } else if (*threads != b.name.threads) {
        entry["threads"].fail(fmt::format("threads field {} disagrees with the name ('{}')", *threads, run_name));
      }
    }
    if (entry["error_occurred"].boolean().value_or(false)) {
      b.errors.push_back(entry["error_message"].string().value_or("(no message)"));
      continue;
    }
    b.reps.push_back(read_repetition(entry, index));
  }
  if (entry_of_repetition.empty())
    entries.fail("no repetition entries (\"run_type\": \"iteration\"): the run measured nothing");
  return run;
}

}  // namespace

bool Repetition::has(std::string_view counter) const {
  return counters.find(std::string(counter)) != counters.end();
}

std::string left_out_rules() {
  return fmt::format("overlap < {:g} (not contended for the whole window), or one thread on its CPU for "
                     "less than {:g} of its window (descheduled or stolen)",
                     kMinOverlap, kMinCpuShare);
}

std::string Repetition::left_out_reason(int threads) const {
  if (const auto it = counters.find("overlap"); it != counters.end() && it->second < kMinOverlap)
    return fmt::format("overlap {:.3g} < {:g}: not contended for its whole window", it->second, kMinOverlap);
  if (threads != 1) return "";
  const auto cpu = counters.find("cpu_ns_per_op_thread"), wall = counters.find("ns_per_op_thread");
  if (cpu == counters.end() || wall == counters.end() || wall->second <= 0) return "";
  const double share = cpu->second / wall->second;
  if (share >= kMinCpuShare) return "";
  return fmt::format("on its CPU for {:.3g} of its window < {:g}: the thread was descheduled or its vCPU stolen",
                     share, kMinCpuShare);
}

std::vector<double> Benchmark::values(std::string_view counter) const {
  std::vector<double> out;
  const std::string key(counter);
  for (const Repetition& rep : reps) {
    if (auto it = rep.counters.find(key); it != rep.counters.end()) out.push_back(it->second);
  }
  return out;
}

std::vector<double> Benchmark::real_times_ns() const {
  std::vector<double> out;
  out.reserve(reps.size());
  for (const Repetition& rep : reps) out.push_back(rep.real_time_ns);
  return out;
}

const Benchmark* Run::find(std::string_view run_name) const {
  for (const Benchmark& b : benchmarks) {
    if (b.run_name == run_name) return &b;
  }
  return nullptr;
}

std::string Run::reference_row() const {
  std::string found;
  for (const Benchmark& b : benchmarks) {
    if (b.name.kind != "refcount" || b.name.threads != 1 || !b.name.params.empty() ||
        !catalog.is_reference(b.name.strategy) || !catalog.has_contention(b.name.workload, "none"))
      continue;
    if (b.name.placement == "single") return b.run_name;
    if (found.empty()) found = b.run_name;
  }
  return found;
}

Run parse_run(std::string_view text, std::string_view source_name, RcbenchSection rcbench_section) {
  try {
    const json root = detail::parse_document(text, source_name);
    return read_run(Field(root, source_name), rcbench_section);
  } catch (const json::exception& e) {
    // Every read above checks its type first; this is the net under a missed one, so a
    // library message still leaves as an input error (exit 2), not a runtime error.
    throw InputError(fmt::format("{}: unexpected content: {}", source_name, e.what()));
  } catch (const std::logic_error& e) {  // std::out_of_range, std::invalid_argument, ...
    throw InputError(fmt::format("{}: unexpected content: {}", source_name, e.what()));
  }
}

Run load_run(const std::filesystem::path& path, RcbenchSection rcbench_section) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open for reading", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("{}: read error", path.string()));
  return parse_run(text.str(), path.string(), rcbench_section);
}

}  // namespace rcbench::runjson
