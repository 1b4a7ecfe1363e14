// Deferred interruption, for commands whose cleanup is more than unlinking a few files
// (`rcbench report`: a staging folder of many files and a plotting child process).
// The handler only records the signal and passes SIGTERM to the registered child
// (both async-signal-safe); the command checks at its next step, throws Interrupted,
// and its RAII owners remove what they made as the exception unwinds.
#pragma once

#include <sys/types.h>

#include <stdexcept>

namespace rcbench::io {

struct Interrupted : std::runtime_error {
  explicit Interrupted(int sig);
  int signal;
};

// Installs the recording handler for SIGINT, SIGTERM, SIGHUP and SIGPIPE.
void defer_interrupts();
// The child to stop when a signal arrives (0: none).
void set_interruptible_child(pid_t pid);
// Throws Interrupted if a signal arrived since defer_interrupts().
void throw_if_interrupted();

}  // namespace rcbench::io
