// Checks a destination the user named before any work is done, so that a long run
// never ends in "cannot write". rcbench is often run as root in shared folders: a
// destination is never followed through a symbolic link, and --force replaces only
// what rcbench itself could have written.
#pragma once

#include <filesystem>

namespace rcbench::io {

// A file destination. Throws DestinationRefused when:
//   - it exists and `replace` is false ("exists: never overwritten");
//   - it exists and is not a regular file: a symbolic link, a folder, a device, a FIFO
//     or a socket is never replaced, even with `replace` (the message names the kind);
//   - its folder does not exist, is not a folder, or cannot be written.
void check_file_destination(const std::filesystem::path& target, bool replace);

// What kind of file system object `path` is, without following a final symbolic
// link: "regular file", "symbolic link", "folder", "character device", ..., or "" when
// nothing is there.
const char* kind_of(const std::filesystem::path& path);

}  // namespace rcbench::io
