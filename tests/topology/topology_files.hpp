// The XML machines under tests/data/topologies/, found at run time so that a file added
// there is tested without editing a list.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

namespace rcbench::topo::testing {

inline std::filesystem::path data_dir() { return RCBENCH_TOPOLOGY_DATA_DIR; }

inline std::filesystem::path xml_path(const std::string& name) { return data_dir() / name; }

inline std::vector<std::string> xml_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir())) {
    if (entry.path().extension() == ".xml") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A file in this test process's own temporary folder, removed when the process ends:
// ctest runs cases as parallel processes, and other build trees may run the same tests at
// the same time.
inline std::filesystem::path temp_path(const std::string& name) {
  static const struct Folder {
    std::filesystem::path path = std::filesystem::path(::testing::TempDir()) /
                                 ("rcbench-topology-" + std::to_string(getpid()));
    Folder() { std::filesystem::create_directories(path); }
    ~Folder() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  } folder;
  return folder.path / name;
}

// A gtest-safe test name for a file name ("AMD-19h-Zen4-2xEpyc-9654.xml" ->
// "AMD_19h_Zen4_2xEpyc_9654").
inline std::string test_name(std::string name) {
  name = name.substr(0, name.rfind('.'));
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

}  // namespace rcbench::topo::testing
