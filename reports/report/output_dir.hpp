// A report directory appears whole or not at all: everything is written into a
// staging directory beside the target and renamed into place at the end. An error
// (or an exception) before commit() leaves no trace.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace rcbench::report {

// Writing failed (disk, permissions). The message names the path.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The target exists and may not be replaced (no --force, or it is not a report).
struct OutputExists : OutputError {
  using OutputError::OutputError;
};

// Every report directory carries this file; --force replaces only directories that
// have it (or are empty), so a mistyped --out-dir cannot delete someone's folder.
inline constexpr const char* kReportMarker = ".rcbench-report";

class StagedDirectory {
 public:
  // Checks the target now (fail before any work) and creates the staging directory.
  StagedDirectory(std::filesystem::path target, bool replace_existing);
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  const std::filesystem::path& path() const { return staging_; }
  const std::filesystem::path& target() const { return target_; }

  // Renames the staging directory to the target. With replace_existing an existing
  // target is first renamed away, then deleted once the new one is in place.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool replace_existing_ = false;
  bool committed_ = false;
};

// Writes `text` to `path` (binary, truncating). Throws OutputError.
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace rcbench::report
