// Scratch files and folders that an interrupted process must remove. On SIGINT,
// SIGTERM, SIGHUP or SIGPIPE (`rcbench run | head`) the handler removes every
// remembered path (files with unlink, then folders with rmdir, newest first), says no
// result was written, and exits 128 + signal. A handler may only call
// async-signal-safe functions, so paths are kept in fixed C buffers.
#pragma once

#include <filesystem>

namespace rcbench::io {

// Installs the handler (once). Called before long work, so that an interruption says
// that no result was written even before a scratch file exists.
void clean_up_on_signals();
// Installs the handler (once) and remembers `path`. `is_folder`: removed with rmdir
// after the files inside it.
void remove_on_signal(const std::filesystem::path& path, bool is_folder = false);
// Forgets `path` (it was renamed into place or removed normally).
void forget_on_signal(const std::filesystem::path& path);
// A result is in place: a later signal says so instead of "no result was written".
void note_result_written();
// Finished work is kept in `journal` (rcbench run's checkpoint): a later signal says
// where, and how to continue, instead of "no result was written".
void note_resumable(const std::filesystem::path& journal);

}  // namespace rcbench::io
