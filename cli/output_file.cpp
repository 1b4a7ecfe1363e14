#include "output_file.hpp"
#include "commands.hpp"

#include <fmt/chrono.h>
#include <fmt/core.h>

#include <ctime>

#include "rcbench/io/atomic_write.hpp"
#include "rcbench/io/destination.hpp"
#include "rcbench/io/errors.hpp"
#include "rcbench/io/signal_cleanup.hpp"

namespace rcbench::cli {
namespace fs = std::filesystem;

std::string utc_stamp() { return fmt::format("{:%Y%m%dT%H%M%SZ}", fmt::gmtime(std::time(nullptr))); }

void check_output_name(std::string_view flag, bool given, const std::string& name) {
  if (given && name.empty())
    throw CommandExit(kUsageError, fmt::format("{}: empty name (leave {} out for the default)", flag, flag));
  if (name.starts_with("--"))
    throw CommandExit(kUsageError, fmt::format("{} '{}': looks like a flag, not a file name (write ./{} for a "
                                               "file of that name)", flag, name, name));
}

OutputFile::OutputFile(fs::path target, bool replace) : target_(std::move(target)), replace_(replace) {
  io::check_file_destination(target_, replace_);
  io::clean_up_on_signals();
}

fs::path OutputFile::scratch_path(const std::string& suffix) {
  if (!scratch_) scratch_.emplace(target_, "rcbench");
  return scratch_->file(target_.filename().string() + suffix);
}

void OutputFile::commit(const std::string& content) {
  const fs::path tmp = scratch_path(".tmp");
  io::write_new_file(tmp, content);
  try {
    io::move_into_place(tmp, target_, replace_);
  } catch (const io::DestinationRefused& e) {
    scratch_->keep();
    throw io::DestinationRefused(std::string(e.what()) + "; the finished run is left in " + tmp.string());
  }
}

}  // namespace rcbench::cli
