// The run JSON `rcbench run --out` writes: never partial, never silently overwritten,
// never written through a symbolic link (io/atomic_write.hpp). Intermediate files
// (Google Benchmark's own JSON) live in a private scratch folder beside the target.
#pragma once

#include "rcbench/io/private_dir.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace rcbench::cli {

// An output name as the user typed it (`flag` given at all: `given`): exit 2 for an
// empty name, and for one that starts with "--": CLI11 reads `--out= --list` as the
// file "--list", which would run the whole suite into a file named like a flag.
void check_output_name(std::string_view flag, bool given, const std::string& name);
// Now in UTC as 20261130T132400Z: the time part of default output names.
std::string utc_stamp();

class OutputFile {
 public:
  // Checks the destination now, before any work (io::check_file_destination): throws
  // io::DestinationRefused if it exists (unless `replace` and it is a regular file) or
  // its folder is missing or not writable.
  OutputFile(std::filesystem::path target, bool replace);

  // A path in the private scratch folder, removed with it (or on a signal).
  std::filesystem::path scratch_path(const std::string& suffix);
  // Writes, flushes to disk and renames into place. If the target appeared meanwhile,
  // the finished file is kept in the scratch folder and the message says where.
  void commit(const std::string& content);

 private:
  std::filesystem::path target_;
  bool replace_;
  std::optional<io::PrivateDir> scratch_;
};

}  // namespace rcbench::cli
