#include "report/output_dir.hpp"

#include <fmt/core.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE (glibc >= 2.28)

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

namespace rcbench::report {
namespace {

namespace fs = std::filesystem;

// mkdtemp beside the target, so the final rename stays on one file system (atomic).
fs::path make_sibling_dir(const fs::path& target, const char* tag) {
  std::string pattern = (target.parent_path() / fmt::format(".{}.{}-XXXXXX", target.filename().string(), tag)).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr)
    throw OutputError(fmt::format("cannot create a directory beside {}: {}", target.string(), std::strerror(errno)));
  // mkdtemp makes it 0700; a report directory gets the permissions mkdir would give.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(buf.data(), 0777 & ~mask);
  return fs::path(buf.data());
}

void check_replaceable(const fs::path& target) {
  if (fs::is_symlink(target))
    throw OutputExists(fmt::format("{} is a symbolic link; --force never replaces a link", target.string()));
  if (!fs::is_directory(target))
    throw OutputExists(fmt::format("{} exists and is not a directory; not replacing it", target.string()));
  if (!fs::exists(target / kReportMarker) && !fs::is_empty(target))
    throw OutputExists(fmt::format("{} exists and is not an rcbench report directory (no {}); not replacing it",
                                   target.string(), kReportMarker));
}

}  // namespace

StagedDirectory::StagedDirectory(fs::path target, bool replace_existing)
    : target_(fs::absolute(std::move(target)).lexically_normal()), replace_existing_(replace_existing) {
  if (target_.filename().empty()) target_ = target_.parent_path();  // "dir/" -> "dir"
  if (fs::exists(fs::symlink_status(target_))) {
    if (!replace_existing_)
      throw OutputExists(fmt::format("{} already exists (use --force to replace it)", target_.string()));
    check_replaceable(target_);
  }
  std::error_code ec;
  fs::create_directories(target_.parent_path(), ec);
  if (ec) throw OutputError(fmt::format("cannot create {}: {}", target_.parent_path().string(), ec.message()));
  staging_ = make_sibling_dir(target_, "tmp");
}

StagedDirectory::~StagedDirectory() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
}

void StagedDirectory::commit() {
  write_file(staging_ / kReportMarker, "This directory was written by `rcbench report`; --force may replace it.\n");
  if (renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) == 0) {
    committed_ = true;
    return;
  }
  if (errno == EEXIST && !replace_existing_)  // another writer got there first
    throw OutputExists(fmt::format("{} appeared while the report was written; not replacing it", target_.string()));
  if (errno != EEXIST)
    throw OutputError(fmt::format("cannot rename {} to {}: {}", staging_.string(), target_.string(),
                                  std::strerror(errno)));
  check_replaceable(target_);
  // Rename the old report away (onto an empty placeholder: rename(2) replaces an
  // empty directory), move the new one in, and only then delete the old one.
  const fs::path old = make_sibling_dir(target_, "old");
  if (std::rename(target_.c_str(), old.c_str()) != 0) {
    const int err = errno;
    std::error_code ignored;
    fs::remove(old, ignored);
    throw OutputError(fmt::format("cannot move {} aside: {}", target_.string(), std::strerror(err)));
  }
  if (std::rename(staging_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    std::rename(old.c_str(), target_.c_str());  // put the old report back
    throw OutputError(fmt::format("cannot rename {} to {}: {}", staging_.string(), target_.string(), std::strerror(err)));
  }
  committed_ = true;
  std::error_code ignored;
  fs::remove_all(old, ignored);
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw OutputError(fmt::format("cannot write {}", path.string()));
}

}  // namespace rcbench::report
