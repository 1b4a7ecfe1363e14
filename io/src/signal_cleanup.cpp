#include "rcbench/io/signal_cleanup.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

namespace rcbench::io {
namespace {

// Slots written only under the mutex by normal code; the handler only reads them.
// `state` is set last when a slot is filled and cleared first when it is forgotten,
// so the handler never reads a half-written path.
constexpr int kSlots = 32;
constexpr int kFree = 0, kFile = 1, kFolder = 2;
char g_path[kSlots][4096];
volatile sig_atomic_t g_state[kSlots];
std::mutex g_mutex;

extern "C" void remove_and_exit(int sig) {
  for (int i = kSlots - 1; i >= 0; --i)
    if (g_state[i] == kFile) ::unlink(g_path[i]);
  for (int i = kSlots - 1; i >= 0; --i)
    if (g_state[i] == kFolder) ::rmdir(g_path[i]);
  constexpr char kMsg[] = "\nrcbench: interrupted: no result was written (partial files removed)\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
  ::_exit(128 + sig);
}

void install_once() {
  static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = remove_and_exit;
    sigfillset(&sa.sa_mask);  // one cleanup at a time
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::sigaction(sig, &sa, nullptr);
    return true;
  }();
  (void)installed;
}

}  // namespace

void remove_on_signal(const std::filesystem::path& path, bool is_folder) {
  install_once();
  const std::string s = path.string();
  if (s.size() >= sizeof g_path[0]) return;  // too long to remember: removed by RAII only
  std::lock_guard lock(g_mutex);
  for (int i = 0; i < kSlots; ++i) {
    if (g_state[i] != kFree) continue;
    std::memcpy(g_path[i], s.c_str(), s.size() + 1);
    g_state[i] = is_folder ? kFolder : kFile;
    return;
  }
}

void forget_on_signal(const std::filesystem::path& path) {
  const std::string s = path.string();
  std::lock_guard lock(g_mutex);
  for (int i = 0; i < kSlots; ++i)
    if (g_state[i] != kFree && s == g_path[i]) g_state[i] = kFree;
}

}  // namespace rcbench::io
