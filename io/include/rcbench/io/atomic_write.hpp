// Writes a result file whole or not at all: content goes to a file in a private
// scratch folder beside the target, is flushed to disk, and is renamed into place with
// renameat2(RENAME_NOREPLACE), so a file that appeared meanwhile is never overwritten.
// With `replace`, only a regular file is replaced (the rename replaces the directory
// entry itself: a symbolic link planted meanwhile is replaced, never followed).
#pragma once

#include <filesystem>
#include <string>

namespace rcbench::io {

// Moves the finished file `from` (in a PrivateDir beside `target`) into place.
// Throws DestinationRefused if `target` appeared (without `replace`) or became
// something other than a regular file; `from` is then left where it is.
void move_into_place(const std::filesystem::path& from, const std::filesystem::path& target,
                     bool replace);

// Writes `content` to `from`, which must not exist yet (O_EXCL|O_NOFOLLOW), and fsyncs it.
void write_new_file(const std::filesystem::path& from, const std::string& content);

// check_file_destination + PrivateDir + write_new_file + move_into_place.
void write_file_atomically(const std::filesystem::path& target, const std::string& content,
                           bool replace);

}  // namespace rcbench::io
