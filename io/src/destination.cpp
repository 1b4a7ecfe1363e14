#include "rcbench/io/destination.hpp"

#include "rcbench/io/errors.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace rcbench::io {
namespace fs = std::filesystem;

const char* kind_of(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "";
  switch (st.st_mode & S_IFMT) {
    case S_IFREG: return "regular file";
    case S_IFLNK: return "symbolic link";
    case S_IFDIR: return "folder";
    case S_IFCHR: return "character device";
    case S_IFBLK: return "block device";
    case S_IFIFO: return "FIFO";
    case S_IFSOCK: return "socket";
    default: return "special file";
  }
}

void check_file_destination(const fs::path& target, bool replace) {
  const std::string name = target.string();
  if (name.empty()) throw DestinationRefused("the output file name is empty");
  const std::string kind = kind_of(target);
  if (!kind.empty()) {
    if (!replace)
      throw DestinationRefused(name + " exists: results are never overwritten (choose another "
                                      "name, or pass --force to replace a regular file)");
    if (kind != "regular file")
      throw DestinationRefused(name + " is a " + kind + ": --force replaces only a regular file, "
                                      "never a " + kind);
  }
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0)
    throw DestinationRefused("cannot write " + name + ": folder " + dir.string() + " does not exist");
  if (!S_ISDIR(st.st_mode))
    throw DestinationRefused("cannot write " + name + ": " + dir.string() + " is not a folder");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw DestinationRefused("cannot write " + name + ": folder " + dir.string() + ": " +
                             std::strerror(errno));
}

}  // namespace rcbench::io
