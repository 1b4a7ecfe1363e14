#include "rcbench/io/private_dir.hpp"

#include "rcbench/io/errors.hpp"
#include "rcbench/io/signal_cleanup.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

namespace rcbench::io {
namespace fs = std::filesystem;

PrivateDir::PrivateDir(const fs::path& target, const std::string& tag) {
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  const std::string pattern =
      (dir / ("." + target.filename().string() + "." + tag + "-XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr)  // mode 0700, a name nobody could guess
    throw WriteFailed("cannot create a scratch folder beside " + target.string() + ": " +
                      std::strerror(errno));
  path_ = buf.data();
  remove_on_signal(path_, /*is_folder=*/true);
}

PrivateDir::~PrivateDir() {
  std::error_code ignored;
  if (!keep_) fs::remove_all(path_, ignored);
  forget_on_signal(path_);
}

fs::path PrivateDir::file(const std::string& name) {
  fs::path p = path_ / name;
  remove_on_signal(p);
  return p;
}

}  // namespace rcbench::io
