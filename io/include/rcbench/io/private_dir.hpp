// A scratch folder only this process can enter, beside a destination. Files made
// inside it cannot be pre-planted or swapped by another user (mode 0700, a fresh
// random name from mkdtemp), and it sits on the destination's file system, so its
// files can be renamed into place in one step. Removed, with what it holds, when the
// object goes away or the process is interrupted (signal_cleanup.hpp).
#pragma once

#include <filesystem>
#include <string>

namespace rcbench::io {

class PrivateDir {
 public:
  // Creates `.<target name>.<tag>-XXXXXX` in the target's folder. Throws WriteFailed.
  PrivateDir(const std::filesystem::path& target, const std::string& tag);
  ~PrivateDir();
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // A path inside the folder, remembered for removal on a signal.
  std::filesystem::path file(const std::string& name);
  // Leaves the folder and its files on disk (a finished result that could not be
  // moved into place is the user's to keep).
  void keep() { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace rcbench::io
