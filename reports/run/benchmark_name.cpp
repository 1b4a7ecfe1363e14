// Parses benchmark names (grammar in run_json.hpp and docs/run-format.md).
#include "run/run_json.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

namespace rcbench::runjson {
namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool is_identifier(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
  });
}

// Suffixes Google Benchmark appends after our part of the name. Run-time knobs set
// per benchmark (MinTime, Repetitions, ...) add some of them; they are not conditions
// of the measurement, so they are consumed and not matched on.
bool is_gb_flag(std::string_view seg) {
  return seg == "real_time" || seg == "manual_time" || seg == "process_time";
}
bool is_gb_keyed(std::string_view key) {
  return key == "min_time" || key == "min_warmup_time" || key == "repeats" ||
         key == "iterations";
}

}  // namespace

BenchmarkName BenchmarkName::parse(std::string_view run_name) {
  const auto fail = [&](std::string_view why) -> InputError {
    return InputError(fmt::format("benchmark name '{}': {}", run_name, why));
  };
  const auto segs = split(run_name, '/');
  BenchmarkName name;
  name.kind = std::string(segs[0]);
  std::size_t i = 1;
  if (name.kind == "refcount") {
    if (segs.size() < 4) throw fail("expected refcount/<strategy>/<workload>/.../placement:<p>");
    name.strategy = std::string(segs[1]);
    name.workload = std::string(segs[2]);
    if (!is_identifier(name.strategy)) throw fail("strategy is empty or has odd characters");
    if (!is_identifier(name.workload) || name.workload.find(':') != std::string::npos)
      throw fail("workload is empty or has odd characters");
    i = 3;
  } else if (name.kind == "calibration") {
    if (segs.size() < 3) throw fail("expected calibration/<what>/.../placement:<p>");
    name.strategy = std::string(segs[1]);
    if (!is_identifier(name.strategy)) throw fail("calibration kind is empty or has odd characters");
    i = 2;
  } else {
    throw fail("does not start with 'refcount/' or 'calibration/'");
  }

  bool have_placement = false;
  bool have_threads = false;
  bool have_gb_suffix = false;  // real_time, min_time:..., ...: Google Benchmark's from here on
  for (; i < segs.size(); ++i) {
    const std::string_view seg = segs[i];
    if (is_gb_flag(seg)) {
      if (!have_placement) throw fail(fmt::format("'{}' before placement:<p>", seg));
      have_gb_suffix = true;
      continue;
    }
    const std::size_t colon = seg.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == seg.size())
      throw fail(fmt::format("segment '{}' is not <key>:<value>", seg));
    const std::string_view key = seg.substr(0, colon);
    const std::string_view value = seg.substr(colon + 1);
    if (key == "placement") {
      if (have_placement) throw fail("placement given twice");
      if (!is_identifier(value)) throw fail("placement has odd characters");
      name.placement = std::string(value);
      have_placement = true;
    } else if (key == "threads") {
      int n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || end != value.data() + value.size() || n < 1)
        throw fail(fmt::format("threads:'{}' is not a positive integer", value));
      name.threads = n;
      have_threads = true;
    } else if (key == "mem") {
      // Ours, not Google Benchmark's: it qualifies the placement, right after it.
      if (!have_placement) throw fail("mem:<m> before placement:<p>");
      if (!name.mem.empty()) throw fail("mem given twice");
      if (have_gb_suffix || have_threads) throw fail("mem:<m> after Google Benchmark's suffixes");
      if (name.kind != "refcount") throw fail("mem:<m> on a calibration row");
      if (!is_identifier(value)) throw fail("mem has odd characters");
      name.mem = std::string(value);
    } else if (is_gb_keyed(key)) {
      // consumed: a run-time knob, not a condition of the measurement
      have_gb_suffix = true;
    } else if (have_placement) {
      throw fail(fmt::format("parameter '{}' after placement:<p>", seg));
    } else {
      if (!is_identifier(key) || !is_identifier(value))
        throw fail(fmt::format("parameter '{}' has odd characters", seg));
      if (!name.params.emplace(std::string(key), std::string(value)).second)
        throw fail(fmt::format("parameter '{}' given twice", key));
    }
    if (have_threads && i + 1 < segs.size())
      throw fail("threads:<N> is not the last segment");
  }
  if (!have_placement) throw fail("no placement:<p> segment");
  return name;
}

std::string BenchmarkName::mem_segment() const { return mem.empty() ? "" : "/mem:" + mem; }

std::string BenchmarkName::without_strategy() const {
  std::string key = kind;
  if (!workload.empty()) key += "/" + workload;
  for (const auto& [k, v] : params) key += "/" + k + ":" + v;
  key += "/placement:" + placement + mem_segment() + "/threads:" + std::to_string(threads);
  return key;
}

std::string BenchmarkName::to_string() const {
  std::string out = kind + "/" + strategy;
  if (!workload.empty()) out += "/" + workload;
  for (const auto& [k, v] : params) out += "/" + k + ":" + v;
  out += "/placement:" + placement + mem_segment() + "/threads:" + std::to_string(threads);
  return out;
}

}  // namespace rcbench::runjson
