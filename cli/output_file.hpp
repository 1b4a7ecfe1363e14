// A result file that is never partial and never silently overwritten: content is
// written to a temporary beside the target and renamed into place in one step.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rcbench::cli {

class OutputFile {
 public:
  // Throws CommandExit(kUsageError) if `target` exists (unless `replace`) or its
  // folder does not exist or cannot be written: checked before any work is done.
  OutputFile(std::filesystem::path target, bool replace);
  ~OutputFile();  // removes scratch files left by an interrupted write
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // A path beside the target for intermediate files, removed by the destructor.
  std::filesystem::path scratch_path(const std::string& suffix);
  // Writes, flushes to disk and renames into place.
  void commit(const std::string& content);

 private:
  std::filesystem::path target_;
  bool replace_;
  std::vector<std::filesystem::path> scratch_;
};

}  // namespace rcbench::cli
