// Where the compare tests find their fixtures (tests/data/compare) and a JSON reader.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace rcbench::testing {

inline std::filesystem::path compare_data(const std::string& name) {
  return std::filesystem::path(RCBENCH_COMPARE_DATA) / name;
}

inline nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

}  // namespace rcbench::testing
