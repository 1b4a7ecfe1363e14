#include "report/plots.hpp"

#include "rcbench/io/interrupt.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

extern char** environ;

namespace rcbench::report {
namespace {

namespace fs = std::filesystem;

struct ProcessResult {
  int exit_code = -1;  // -1: could not start or killed by a signal
  std::string output;  // stdout and stderr together
  std::string start_error;
};

// posix_spawn with an argv (no shell, so no quoting of paths); output to a file.
ProcessResult run_process(const std::vector<std::string>& argv, const fs::path& log) {
  ProcessResult result;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    result.start_error = std::strerror(rc);
    return result;
  }
  io::set_interruptible_child(pid);  // a Ctrl-C during the plots stops the child too
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  io::set_interruptible_child(0);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  result.output = text.str();
  return result;
}

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  const std::size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

}  // namespace

PlotOutcome make_plots(const fs::path& report_dir, const PlotOptions& options) {
  PlotOutcome outcome;
  outcome.requested = true;
  if (!fs::exists(options.script)) {
    outcome.notes.push_back(fmt::format("plots skipped: plot script {} not found", options.script.string()));
    return outcome;
  }
  const fs::path log = report_dir / ".plot-log.txt";
  const ProcessResult r = run_process(
      {options.python, options.script.string(), (report_dir / "report.json").string(), (report_dir / "plots").string()},
      log);
  std::error_code ignored;
  fs::remove(log, ignored);
  if (!r.start_error.empty()) {
    outcome.notes.push_back(fmt::format("plots skipped: cannot run {}: {}", options.python, r.start_error));
    return outcome;
  }
  if (r.exit_code != 0) {
    const std::string why = last_line(r.output);
    outcome.notes.push_back(fmt::format("plots skipped: {} exited with status {}{}", options.script.filename().string(),
                                        r.exit_code, why.empty() ? "" : ": " + why));
    fs::remove_all(report_dir / "plots", ignored);
    return outcome;
  }
  // The script lists what it made and what it skipped (and why) in a manifest.
  const fs::path manifest_path = report_dir / "plots" / "plots.json";
  std::ifstream in(manifest_path);
  nlohmann::json manifest;
  try {
    in >> manifest;
  } catch (const nlohmann::json::exception& e) {
    outcome.notes.push_back(fmt::format("plots skipped: no readable manifest from the plot script ({})", e.what()));
    return outcome;
  }
  for (const auto& p : manifest.value("made", nlohmann::json::array()))
    outcome.made.push_back({p.value("name", ""), p.value("title", ""), p.value("png", ""), p.value("svg", "")});
  for (const auto& s : manifest.value("skipped", nlohmann::json::array()))
    outcome.notes.push_back(fmt::format("{} skipped: {}", s.value("name", "plot"), s.value("reason", "no reason given")));
  return outcome;
}

}  // namespace rcbench::report
