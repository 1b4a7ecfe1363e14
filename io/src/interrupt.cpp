#include "rcbench/io/interrupt.hpp"

#include <signal.h>

#include <string>

namespace rcbench::io {
namespace {

volatile sig_atomic_t g_signal = 0;
volatile sig_atomic_t g_child = 0;

extern "C" void record_signal(int sig) {
  if (g_signal == 0) g_signal = sig;
  if (g_child > 0) ::kill(static_cast<pid_t>(g_child), SIGTERM);
}

}  // namespace

Interrupted::Interrupted(int sig)
    : std::runtime_error("interrupted by signal " + std::to_string(sig)), signal(sig) {}

void defer_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = record_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::sigaction(sig, &sa, nullptr);
}

void set_interruptible_child(pid_t pid) {
  g_child = static_cast<sig_atomic_t>(pid);
  // A signal that came before the child existed must still stop it.
  if (pid > 0 && g_signal != 0) ::kill(pid, SIGTERM);
}

void throw_if_interrupted() {
  if (g_signal != 0) throw Interrupted(g_signal);
}

}  // namespace rcbench::io
