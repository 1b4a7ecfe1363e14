#include "spec.hpp"

#include <array>
#include <utility>

namespace rcbench::harness {
namespace {

constexpr std::array<std::pair<Workload, std::string_view>, 6> kWorkloadNames{{
    {Workload::private_objects, "private"},
    {Workload::shared, "shared"},
    {Workload::false_sharing, "false_sharing"},
    {Workload::handoff, "handoff"},
    {Workload::mixed, "mixed"},
    {Workload::foreign, "foreign"},
}};

std::string workload_segment(const BenchSpec& s) {
  std::string out(to_string(s.workload));
  if (s.workload == Workload::false_sharing) out += "/pad:" + std::to_string(s.param);
  if (s.workload == Workload::mixed) out += "/shared_pct:" + std::to_string(s.param);
  return out;
}

// Memory placement qualifies the placement (where the threads run, then where their
// object is), so it follows it; rows without one keep their names.
std::string memory_segment(const BenchSpec& s) {
  if (s.memory == ObjectMemory::unplaced) return {};
  return "/mem:" + std::string(to_string(s.memory));
}

std::string family_with(const BenchSpec& s, std::string_view strategy) {
  switch (s.kind) {
    case BenchKind::overhead:
      return "calibration/overhead/placement:" + s.placement;
    case BenchKind::pingpong: {
      const std::string family = "calibration/pingpong_" + std::string(to_string(s.method));
      if (s.matrix_cell)
        return family + "/pair:" + std::to_string(s.pus.at(0)) + "-" + std::to_string(s.pus.at(1)) +
               "/placement:" + s.placement;
      return family + "/placement:" + s.placement;
    }
    case BenchKind::refcount:
      break;
  }
  return "refcount/" + std::string(strategy) + "/" + workload_segment(s) +
         "/placement:" + s.placement + memory_segment(s);
}

}  // namespace

std::string_view to_string(Workload w) {
  for (const auto& [value, name] : kWorkloadNames)
    if (value == w) return name;
  return "unknown";
}

std::optional<Workload> parse_workload(std::string_view name) {
  for (const auto& [value, n] : kWorkloadNames)
    if (n == name) return value;
  return std::nullopt;
}

std::string_view to_string(PingPongMethod m) {
  return m == PingPongMethod::two_line ? "two_line" : "one_line_cas";
}

std::string_view to_string(ObjectMemory m) {
  switch (m) {
    case ObjectMemory::local: return "local";
    case ObjectMemory::remote: return "remote";
    case ObjectMemory::unplaced: break;
  }
  return "unplaced";
}

std::string BenchSpec::family_name() const { return family_with(*this, strategy); }

// Google Benchmark 1.7.1 appends "/real_time" (UseRealTime) then "/threads:N".
std::string BenchSpec::run_name() const {
  return family_name() + "/real_time/threads:" + std::to_string(threads());
}

std::string BenchSpec::run_name_with_strategy(std::string_view other) const {
  return family_with(*this, other) + "/real_time/threads:" + std::to_string(threads());
}

}  // namespace rcbench::harness
