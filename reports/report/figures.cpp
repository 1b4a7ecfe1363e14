#include "report/figures.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace rcbench::report::detail {

std::optional<Figure> figure_of_values(const std::vector<double>& values, std::string unit,
                                       std::string scope) {
  std::vector<double> finite;
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.empty()) return std::nullopt;
  return Figure{stats::summarize(finite), std::move(unit), std::move(scope)};
}

std::optional<Figure> figure_of(const runjson::Benchmark& b, std::string_view counter,
                                const std::vector<std::size_t>& positions, std::string unit,
                                std::string scope) {
  std::vector<double> values;
  const std::string key(counter);
  for (std::size_t p : positions) {
    if (auto it = b.reps[p].counters.find(key); it != b.reps[p].counters.end())
      values.push_back(it->second);
  }
  return figure_of_values(values, std::move(unit), std::move(scope));
}

std::optional<Figure> per_op_figure(const runjson::Benchmark& b, std::string_view counter,
                                    const std::vector<std::size_t>& positions, std::string unit,
                                    std::string scope) {
  std::vector<double> values;
  const std::string key(counter);
  for (std::size_t p : positions) {
    const auto& c = b.reps[p].counters;
    const auto v = c.find(key);
    const auto ops = c.find("ops");
    if (v != c.end() && ops != c.end() && ops->second > 0) values.push_back(v->second / ops->second);
  }
  return figure_of_values(values, std::move(unit), std::move(scope));
}

std::optional<EventCount> event_count(const runjson::Benchmark& b, std::string_view counter) {
  const std::vector<double> values = b.values(counter);
  if (values.empty()) return std::nullopt;
  EventCount count;
  for (double v : values) {
    count.total += v;
    count.max_per_rep = std::max(count.max_per_rep, v);
  }
  count.reps = values.size();
  return count;
}

std::string meta_string(const nlohmann::json& meta, std::string_view key) {
  if (!meta.is_object()) return "";
  const auto it = meta.find(key);
  return it != meta.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<int> meta_pus(const nlohmann::json& meta) {
  std::vector<int> pus;
  if (!meta.is_object() || !meta.contains("pus") || !meta["pus"].is_array()) return pus;
  for (const auto& p : meta["pus"])
    if (p.is_number_integer()) pus.push_back(p.get<int>());
  return pus;
}

std::string pu_list(const std::vector<int>& pus) {
  std::string out;
  for (std::size_t i = 0; i < pus.size();) {
    std::size_t j = i;
    while (j + 1 < pus.size() && pus[j + 1] == pus[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += j > i ? fmt::format("{}-{}", pus[i], pus[j]) : fmt::format("{}", pus[i]);
    i = j + 1;
  }
  return out;
}

}  // namespace rcbench::report::detail
