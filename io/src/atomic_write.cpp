#include "rcbench/io/atomic_write.hpp"

#include "rcbench/io/destination.hpp"
#include "rcbench/io/errors.hpp"
#include "rcbench/io/private_dir.hpp"
#include "rcbench/io/signal_cleanup.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE (glibc >= 2.28)
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rcbench::io {
namespace fs = std::filesystem;
namespace {

std::string errno_text() { return std::strerror(errno); }

// The folder's entry is durable only once the folder itself is flushed.
void sync_folder_of(const fs::path& target) {
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_new_file(const fs::path& from, const std::string& content) {
  const int fd = ::open(from.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw WriteFailed("cannot create " + from.string() + ": " + errno_text());
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = errno_text();
      ::close(fd);
      throw WriteFailed("cannot write " + from.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0)
    throw WriteFailed("cannot write " + from.string() + ": " + errno_text());
}

void move_into_place(const fs::path& from, const fs::path& target, bool replace) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
    forget_on_signal(from);
    note_result_written();
    sync_folder_of(target);
    return;
  }
  if (errno != EEXIST)
    throw WriteFailed("cannot move " + from.string() + " to " + target.string() + ": " + errno_text());
  const std::string kind = kind_of(target);
  if (!replace)
    throw DestinationRefused(target.string() + " appeared while rcbench was working: not overwritten");
  if (kind != "regular file")
    throw DestinationRefused(target.string() + " became a " + kind +
                             " while rcbench was working: not replaced");
  // rename(2) replaces the directory entry: were a symbolic link swapped in since the
  // check above, the link itself would be replaced, its target left untouched.
  if (::rename(from.c_str(), target.c_str()) != 0)
    throw WriteFailed("cannot move " + from.string() + " to " + target.string() + ": " + errno_text());
  forget_on_signal(from);
  note_result_written();
  sync_folder_of(target);
}

void write_file_atomically(const fs::path& target, const std::string& content, bool replace) {
  check_file_destination(target, replace);
  PrivateDir scratch(target, "rcbench");
  const fs::path file = scratch.file(target.filename().string());
  write_new_file(file, content);
  move_into_place(file, target, replace);
}

}  // namespace rcbench::io
