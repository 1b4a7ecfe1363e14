#include "gbench_flags.hpp"

#include "limits.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <string_view>

namespace rcbench::harness {
namespace {

constexpr std::string_view kPrefix = "--benchmark_";
constexpr std::array<std::string_view, 3> kFormats = {"console", "json", "csv"};
constexpr std::array<std::string_view, 4> kTimeUnits = {"ns", "us", "ms", "s"};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Google Benchmark's spelling of booleans (IsTruthyFlagValue): a bare flag is true.
bool parse_bool(const std::string& flag, const std::optional<std::string>& value) {
  if (!value) return true;
  const std::string v = lower(*value);
  for (std::string_view t : {"1", "t", "true", "y", "yes", "on"})
    if (v == t) return true;
  for (std::string_view f : {"0", "f", "false", "n", "no", "off"})
    if (v == f) return false;
  throw std::invalid_argument(flag + "='" + *value + "': expected true or false");
}

template <std::size_t N>
std::string one_of(const std::string& flag, const std::string& value, const std::array<std::string_view, N>& allowed) {
  std::string list;
  for (auto a : allowed) {
    if (value == a) return value;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  throw std::invalid_argument(flag + "='" + value + "': expected one of " + list);
}

std::string required(const std::string& flag, const std::optional<std::string>& value) {
  if (!value) throw std::invalid_argument(flag + " needs a value: " + flag + "=<value>");
  return *value;
}

// --benchmark_context=k=v[,k=v]*: Google Benchmark would leave a malformed list in argv.
void check_context(const std::string& flag, const std::string& value) {
  std::string_view rest = value;
  while (true) {
    const auto comma = rest.find(',');
    const auto item = rest.substr(0, comma);
    if (item.find('=') == std::string_view::npos || item.front() == '=')
      throw std::invalid_argument(flag + "='" + value + "': expected key=value[,key=value...]");
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
}

}  // namespace

GbenchFlags parse_gbench_flags(const std::vector<std::string>& args) {
  GbenchFlags g;
  for (const std::string& arg : args) {
    if (!arg.starts_with(kPrefix)) throw std::invalid_argument("not a Google Benchmark flag: '" + arg + "'");
    const auto eq = arg.find('=');
    const std::string flag = arg.substr(0, eq);
    const std::optional<std::string> value =
        eq == std::string::npos ? std::nullopt : std::optional<std::string>(arg.substr(eq + 1));
    const std::string name = flag.substr(kPrefix.size());
    if (name == "filter") {
      g.filter = required(flag, value);
    } else if (name == "repetitions") {
      g.repetitions = limits::parse_count(flag, required(flag, value), 1, limits::kMaxRepetitions);
    } else if (name == "min_time") {
      g.min_time_s = limits::parse_seconds(flag, required(flag, value), limits::kMaxMinTimeS);
    } else if (name == "enable_random_interleaving") {
      g.interleave = parse_bool(flag, value);
    } else if (name == "list_tests") {
      g.list_tests = parse_bool(flag, value);
    } else if (name == "format") {
      g.format = one_of(flag, required(flag, value), kFormats);
    } else if (name == "out") {
      g.out = required(flag, value);
      if (g.out.empty()) throw std::invalid_argument(flag + " needs a file name");
    } else if (name == "out_format") {
      g.out_format = one_of(flag, required(flag, value), kFormats);
    } else if (name == "display_aggregates_only") {
      g.display_aggregates_only = parse_bool(flag, value);
    } else if (name == "report_aggregates_only") {
      g.report_aggregates_only = parse_bool(flag, value);
    } else if (name == "color") {
      const std::string v = required(flag, value);
      g.color = v == "auto" ? std::nullopt : std::optional<bool>(parse_bool(flag, v));
    } else if (name == "counters_tabular") {
      g.counters_tabular = parse_bool(flag, value);
    } else if (name == "min_warmup_time") {
      limits::parse_seconds(flag, required(flag, value), limits::kMaxMinTimeS, /*zero_ok=*/true);
      g.passthrough.push_back(arg);
    } else if (name == "time_unit") {
      one_of(flag, required(flag, value), kTimeUnits);
      g.passthrough.push_back(arg);
    } else if (name == "context") {
      check_context(flag, required(flag, value));
      g.passthrough.push_back(arg);
    } else if (name == "perf_counters") {
      required(flag, value);
      g.passthrough.push_back(arg);
    } else {
      throw std::invalid_argument("unknown Google Benchmark flag '" + flag +
                                  "' (rcbench run accepts --benchmark_filter, _repetitions, _min_time, "
                                  "_min_warmup_time, _enable_random_interleaving, _list_tests, _format, "
                                  "_out, _out_format, _display_aggregates_only, _report_aggregates_only, "
                                  "_color, _counters_tabular, _time_unit, _context, _perf_counters)");
    }
  }
  return g;
}

}  // namespace rcbench::harness
