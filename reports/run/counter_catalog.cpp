#include "run/counter_catalog.hpp"

#include <array>

namespace rcbench::runjson {

namespace {

struct Entry {
  std::string_view name;
  std::string_view unit;
  Better better;
};

// docs/run-format.md describes each; the timed figures of method 2 first.
constexpr std::array<Entry, 8> kCounters{{
    {"ns_per_op_thread", "ns per op, per thread", Better::lower},
    {"ns_per_op_total", "ns per op, total over threads", Better::lower},
    {"cpu_ns_per_op_thread", "thread CPU ns per op, per thread", Better::lower},
    {"ops_per_s_total", "ops per second, total over threads", Better::higher},
    {"real_time", "ns, Google Benchmark's real_time (per op where the run says real_time_per: op)", Better::lower},
    {"lost_updates_per_increment", "lost increments per increment (plain's race census)", Better::lower},
    {"premature_last_per_op", "premature last-reference reports per op", Better::lower},
    {"pingpong_ns", "ns one way, core to core", Better::lower},
}};

constexpr std::string_view kPapiPrefix = "papi:";

}  // namespace

std::optional<CounterInfo> counter_info(std::string_view counter) {
  for (const Entry& e : kCounters)
    if (e.name == counter) return CounterInfo{std::string(e.unit), e.better};
  if (counter.starts_with(kPapiPrefix) && counter.size() > kPapiPrefix.size())
    return CounterInfo{std::string(counter.substr(kPapiPrefix.size())) + " events per op, per thread", Better::lower};
  return std::nullopt;
}

std::string known_counters() {
  std::string out;
  for (const Entry& e : kCounters) out += (out.empty() ? "" : ", ") + std::string(e.name);
  return out + ", papi:<EVENT>";
}

}  // namespace rcbench::runjson
