#include "output_file.hpp"

#include "commands.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace rcbench::cli {
namespace fs = std::filesystem;

OutputFile::OutputFile(fs::path target, bool replace) : target_(std::move(target)), replace_(replace) {
  if (fs::exists(target_) && !replace_)
    throw CommandExit(kUsageError, target_.string() + " exists: results are never overwritten "
                                                      "(choose another --out, or pass --force)");
  fs::path dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir))
    throw CommandExit(kUsageError, "cannot write " + target_.string() + ": folder " + dir.string() +
                                       " does not exist");
  if (access(dir.c_str(), W_OK) != 0)
    throw CommandExit(kUsageError, "cannot write " + target_.string() + ": " + std::strerror(errno));
}

OutputFile::~OutputFile() {
  std::error_code ec;
  for (const auto& p : scratch_) fs::remove(p, ec);
}

fs::path OutputFile::scratch_path(const std::string& suffix) {
  fs::path p = target_;
  p += ".partial-" + std::to_string(getpid()) + suffix;
  scratch_.push_back(p);
  return p;
}

void OutputFile::commit(const std::string& content) {
  const fs::path tmp = scratch_path(".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw CommandExit(kRuntimeError, "cannot write " + tmp.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw CommandExit(kRuntimeError, "cannot write " + tmp.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (fs::exists(target_) && !replace_) {
    std::erase(scratch_, tmp);  // keep the finished run for the user
    throw CommandExit(kUsageError, target_.string() + " appeared while running: not overwritten; "
                                                      "the run is left in " + tmp.string());
  }
  fs::rename(tmp, target_);
  std::erase(scratch_, tmp);
}

}  // namespace rcbench::cli
