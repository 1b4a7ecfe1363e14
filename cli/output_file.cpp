#include "output_file.hpp"

#include "commands.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

namespace rcbench::cli {
namespace fs = std::filesystem;
namespace {

// Scratch files to remove if the run is interrupted (Ctrl-C, kill): a signal
// handler may only call async-signal-safe functions, so the paths are kept as
// fixed C strings and removed with unlink(2).
constexpr std::size_t kMaxScratch = 8;
char g_scratch[kMaxScratch][4096];
volatile sig_atomic_t g_scratch_count = 0;

extern "C" void remove_scratch_and_exit(int sig) {
  for (sig_atomic_t i = 0; i < g_scratch_count; ++i) ::unlink(g_scratch[i]);
  constexpr char kMsg[] = "\nrcbench: interrupted: no result was written (partial files removed)\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
  ::_exit(128 + sig);
}

void remember_for_signals(const fs::path& p) {
  static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = remove_scratch_and_exit;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    return true;
  }();
  (void)installed;
  const std::string s = p.string();
  if (g_scratch_count >= static_cast<sig_atomic_t>(kMaxScratch) || s.size() >= sizeof g_scratch[0]) return;
  std::memcpy(g_scratch[g_scratch_count], s.c_str(), s.size() + 1);
  g_scratch_count = g_scratch_count + 1;
}

}  // namespace

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
  remember_for_signals(p);
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
