#include "rcbench/io/signal_cleanup.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <string>

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

volatile sig_atomic_t g_result_written = 0;
// The message for a signal once a journal holds finished benchmarks; set before the flag.
char g_resumable[8192];
volatile sig_atomic_t g_resumable_length = 0;

extern "C" void remove_and_exit(int sig) {
  for (int i = kSlots - 1; i >= 0; --i)
    if (g_state[i] == kFile) ::unlink(g_path[i]);
  for (int i = kSlots - 1; i >= 0; --i)
    if (g_state[i] == kFolder) ::rmdir(g_path[i]);
  // A closed pipe after the result is in place (`rcbench run | head`, final line) must
  // not claim that nothing was written.
  constexpr char kLost[] = "\nrcbench: interrupted: no result was written (partial files removed)\n";
  constexpr char kKept[] = "\nrcbench: interrupted after the result was written\n";
  [[maybe_unused]] const auto n =
      g_result_written != 0      ? ::write(STDERR_FILENO, kKept, sizeof kKept - 1)
      : g_resumable_length != 0 ? ::write(STDERR_FILENO, g_resumable, static_cast<std::size_t>(g_resumable_length))
                                : ::write(STDERR_FILENO, kLost, sizeof kLost - 1);
  ::_exit(128 + sig);
}

}  // namespace

void clean_up_on_signals() {
  static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = remove_and_exit;
    sigfillset(&sa.sa_mask);  // one cleanup at a time
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::sigaction(sig, &sa, nullptr);
    return true;
  }();
  (void)installed;
}


void remove_on_signal(const std::filesystem::path& path, bool is_folder) {
  clean_up_on_signals();
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

void note_result_written() { g_result_written = 1; }

void note_resumable(const std::filesystem::path& journal) {
  clean_up_on_signals();
  const std::string j = journal.string();
  const std::string text = "\nrcbench: interrupted: the finished benchmarks are kept in " + j +
                           "; continue with: rcbench run --resume " + j + "\n";
  if (text.size() > sizeof g_resumable) return;  // too long: the generic message stays
  std::lock_guard lock(g_mutex);
  g_resumable_length = 0;
  std::memcpy(g_resumable, text.data(), text.size());
  g_resumable_length = static_cast<sig_atomic_t>(text.size());
}

void forget_on_signal(const std::filesystem::path& path) {
  const std::string s = path.string();
  std::lock_guard lock(g_mutex);
  for (int i = 0; i < kSlots; ++i)
    if (g_state[i] != kFree && s == g_path[i]) g_state[i] = kFree;
}

}  // namespace rcbench::io
