#include "pingpong_matrix.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rcbench::harness {

nlohmann::json pingpong_matrix(const nlohmann::json& benchmarks) {
  constexpr std::string_view kPrefix = "calibration/pingpong_two_line/pair:";
  std::map<std::pair<unsigned, unsigned>, double> best;
  for (const auto& b : benchmarks) {
    const std::string name = b.value("run_name", "");
    if (!name.starts_with(kPrefix) || b.value("run_type", "") != "iteration") continue;
    if (!b.contains("pingpong_ns") || !b["pingpong_ns"].is_number()) continue;
    unsigned a = 0, c = 0;
    if (std::sscanf(name.c_str() + kPrefix.size(), "%u-%u", &a, &c) != 2) continue;
    const double ns = b["pingpong_ns"].get<double>();
    auto [it, fresh] = best.try_emplace({a, c}, ns);
    if (!fresh) it->second = std::min(it->second, ns);
  }
  if (best.empty()) return nullptr;
  std::vector<unsigned> pus;
  for (const auto& [pair, ns] : best) {
    pus.push_back(pair.first);
    pus.push_back(pair.second);
  }
  std::sort(pus.begin(), pus.end());
  pus.erase(std::unique(pus.begin(), pus.end()), pus.end());
  auto index = [&pus](unsigned pu) {
    return static_cast<std::size_t>(std::lower_bound(pus.begin(), pus.end(), pu) - pus.begin());
  };
  nlohmann::json m = nlohmann::json::array();
  for (std::size_t i = 0; i < pus.size(); ++i) m.push_back(std::vector<nlohmann::json>(pus.size(), nullptr));
  for (const auto& [pair, ns] : best) {
    m[index(pair.first)][index(pair.second)] = ns;
    m[index(pair.second)][index(pair.first)] = ns;
  }
  return {{"pus", pus}, {"one_way_ns", m},
          {"statistic", "min over repetitions of min over batches of round trip / 2"}};
}

}  // namespace rcbench::harness
