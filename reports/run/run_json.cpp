// Loads a run JSON into Run (see run_json.hpp for what is kept and why).
#include "run/run_json.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace rcbench::runjson {
namespace {

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

double ns_per_unit(std::string_view unit, std::string_view where) {
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  throw InputError(fmt::format("{}: unknown time_unit '{}' (expected ns, us, ms or s)", where, unit));
}

std::size_t line_of(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

json parse_json(std::string_view text, std::string_view source) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& strict_error) {
    const std::string sanitized = sanitize_non_finite(text);
    if (sanitized == text) {
      throw InputError(fmt::format("{}: not valid JSON at byte {} (line {}): {}", source,
                                   strict_error.byte, line_of(text, strict_error.byte),
                                   strict_error.what()));
    }
    try {
      return json::parse(sanitized);
    } catch (const json::parse_error& e) {
      // Replacing tokens shifts bytes but never lines: report the line.
      throw InputError(fmt::format("{}: not valid JSON near line {} (even after replacing "
                                   "NaN/Infinity with null): {}",
                                   source, line_of(sanitized, e.byte), e.what()));
    }
  }
}

void check_rcbench_object(const json& rc, std::string_view source) {
  if (!rc.is_object())
    throw InputError(fmt::format("{}: \"rcbench\" is not an object", source));
  if (rc.contains("format") && rc["format"] != "rcbench-run")
    throw InputError(fmt::format("{}: rcbench.format is {}, expected \"rcbench-run\"", source,
                                 rc["format"].dump()));
  if (!rc.contains("format_version"))
    throw InputError(fmt::format("{}: rcbench.format_version is missing", source));
  const json& v = rc["format_version"];
  if (!v.is_number_integer() || v.get<long long>() != kKnownFormatVersion)
    throw InputError(fmt::format(
        "{}: unknown rcbench.format_version {} (this rcbench reads version {}; a newer "
        "rcbench wrote this file?)",
        source, v.dump(), kKnownFormatVersion));
}

Repetition read_repetition(const json& entry, std::size_t fallback_index, std::string_view where) {
  Repetition rep;
  rep.index = entry.contains("repetition_index") && entry["repetition_index"].is_number_integer()
                  ? entry["repetition_index"].get<int>()
                  : static_cast<int>(fallback_index);
  if (!entry.contains("real_time") || !entry["real_time"].is_number())
    throw InputError(fmt::format("{}: real_time is missing or not a number", where));
  const std::string unit =
      entry.contains("time_unit") && entry["time_unit"].is_string() ? entry["time_unit"].get<std::string>() : "ns";
  rep.real_time_ns = entry["real_time"].get<double>() * ns_per_unit(unit, where);
  if (entry.contains("iterations") && entry["iterations"].is_number())
    rep.iterations = entry["iterations"].get<long long>();
  for (const auto& [key, value] : entry.items()) {
    if (is_gb_field(key) || !value.is_number()) continue;  // null (was NaN) -> absent
    rep.counters.emplace(key, value.get<double>());
  }
  return rep;
}

}  // namespace

bool Repetition::has(std::string_view counter) const {
  return counters.find(std::string(counter)) != counters.end();
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

Run parse_run(std::string_view text, std::string_view source_name) {
  const json root = parse_json(text, source_name);
  if (!root.is_object()) throw InputError(fmt::format("{}: top level is not a JSON object", source_name));
  if (!root.contains("benchmarks") || !root["benchmarks"].is_array())
    throw InputError(fmt::format("{}: no \"benchmarks\" array (not a Google Benchmark JSON file?)", source_name));

  Run run;
  run.source = std::string(source_name);
  run.context = root.value("context", json(nullptr));
  run.rcbench = root.value("rcbench", json(nullptr));
  if (!run.rcbench.is_null()) check_rcbench_object(run.rcbench, source_name);

  std::unordered_map<std::string, json> meta_by_name;
  if (run.rcbench.is_object() && run.rcbench.contains("benchmarks") && run.rcbench["benchmarks"].is_array()) {
    for (const json& m : run.rcbench["benchmarks"]) {
      if (m.is_object() && m.contains("name") && m["name"].is_string())
        meta_by_name.emplace(m["name"].get<std::string>(), m);
    }
  }

  std::unordered_map<std::string, std::size_t> index_by_name;
  const json& entries = root["benchmarks"];
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const json& entry = entries[i];
    const std::string where = fmt::format("{}: benchmarks[{}]", source_name, i);
    if (!entry.is_object()) throw InputError(where + ": not an object");
    if (entry.value("run_type", std::string("iteration")) != "iteration") continue;
    if (!entry.contains("run_name") || !entry["run_name"].is_string())
      throw InputError(where + ": no \"run_name\" string");
    const std::string run_name = entry["run_name"].get<std::string>();
    const std::string named_where = fmt::format("{} ('{}')", where, run_name);

    auto [it, inserted] = index_by_name.emplace(run_name, run.benchmarks.size());
    if (inserted) {
      Benchmark b;
      b.run_name = run_name;
      try {
        b.name = BenchmarkName::parse(run_name);
      } catch (const InputError& e) {
        throw InputError(fmt::format("{}: {}", where, e.what()));
      }
      if (entry.contains("threads") && entry["threads"].is_number_integer()) {
        const int gb_threads = entry["threads"].get<int>();
        if (run_name.find("/threads:") == std::string::npos) {
          b.name.threads = gb_threads;
        } else if (gb_threads != b.name.threads) {
          throw InputError(fmt::format("{}: threads field {} disagrees with the name", named_where, gb_threads));
        }
      }
      if (auto m = meta_by_name.find(run_name); m != meta_by_name.end()) b.meta = m->second;
      run.benchmarks.push_back(std::move(b));
    }
    Benchmark& b = run.benchmarks[it->second];
    if (entry.value("error_occurred", false)) {
      b.errors.push_back(entry.value("error_message", std::string("(no message)")));
      continue;
    }
    b.reps.push_back(read_repetition(entry, b.reps.size(), named_where));
  }
  return run;
}

Run load_run(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open for reading", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("{}: read error", path.string()));
  return parse_run(text.str(), path.string());
}

}  // namespace rcbench::runjson
