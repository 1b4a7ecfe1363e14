#include "journal.hpp"

#include "machine_info.hpp"

#include "run/run_json.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

namespace rcbench::harness {
namespace {

std::string errno_text() { return std::strerror(errno); }

nlohmann::json parse_gbench_text(const std::string& text) {
  return nlohmann::json::parse(runjson::sanitize_non_finite(text));
}

// "'abc'" for strings, the JSON text otherwise: how a refusal shows a value.
std::string shown(const nlohmann::json& v) {
  if (v.is_null()) return "(none)";
  return v.is_string() ? "'" + v.get<std::string>() + "'" : v.dump();
}

}  // namespace

std::filesystem::path journal_path_for(const std::filesystem::path& out) {
  return std::filesystem::path(out.string() + ".journal");
}

nlohmann::json binary_identity() {
  const nlohmann::json b = build_facts();
  return {{"git_revision", b["git_revision"]},
          {"version", b["version"]},
          {"compiler", b["compiler"]},
          {"flags", b["flags"]},
          {"build_type", b["build_type"]}};
}

nlohmann::json machine_identity(const nlohmann::json& topology_summary) {
  const nlohmann::json m = machine_facts();
  nlohmann::json j = {{"hostname", m["hostname"]}, {"cpu_model", m["cpu_model"]}};
  // The topology's shape and the PUs this process may use: the plan's rows are pinned
  // to them, so a different set is a different plan even on the same host.
  for (const char* key : {"packages", "numa_nodes", "l3_caches", "l2_caches", "cores", "pus", "smt", "allowed_pus"})
    if (topology_summary.contains(key)) j[key] = topology_summary[key];
  return j;
}

std::string fingerprint(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

std::vector<std::string> identity_mismatches(const nlohmann::json& recorded, const nlohmann::json& now) {
  std::vector<std::string> out;
  for (const char* part : {"binary", "plan", "machine"}) {
    const nlohmann::json& a = recorded.contains(part) ? recorded[part] : nlohmann::json::object();
    const nlohmann::json& b = now.contains(part) ? now[part] : nlohmann::json::object();
    std::set<std::string> keys;
    for (const auto& [k, v] : a.items()) keys.insert(k);
    for (const auto& [k, v] : b.items()) keys.insert(k);
    for (const auto& k : keys) {
      const nlohmann::json va = a.contains(k) ? a[k] : nlohmann::json();
      const nlohmann::json vb = b.contains(k) ? b[k] : nlohmann::json();
      if (va != vb) out.push_back(fmt::format("{}.{}: {} in the journal, {} now", part, k, shown(va), shown(vb)));
    }
  }
  return out;
}

unsigned JournalContents::last_session() const {
  unsigned n = 0;
  for (const auto& s : sessions) n = std::max(n, s.value("session", 0u));
  return n;
}

double JournalContents::session_wall_s(unsigned session) const {
  double t = 0;
  for (const auto& f : finished)
    if (f.session == session) t = std::max(t, f.elapsed_s);
  return t;
}

JournalContents read_journal(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw JournalError(fmt::format("{}: cannot read ({})", path.string(), errno_text()));
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();

  JournalContents j;
  std::set<std::string> seen;
  std::size_t pos = 0;
  unsigned line_no = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) {  // cut short by a kill: that benchmark is run again
      j.dropped_partial_line = true;
      break;
    }
    ++line_no;
    nlohmann::json line;
    try {
      line = nlohmann::json::parse(text.substr(pos, nl - pos));
    } catch (const nlohmann::json::exception& e) {
      throw JournalError(fmt::format("{}: line {} is not JSON ({})", path.string(), line_no, e.what()));
    }
    pos = nl + 1;
    j.valid_bytes = pos;
    if (line_no == 1) {
      if (!line.is_object() || line.value("format", "") != kJournalFormat)
        throw JournalError(fmt::format("{}: not an rcbench run journal (no \"format\": \"{}\" header)",
                                       path.string(), kJournalFormat));
      if (line.value("version", 0) != kJournalVersion)
        throw JournalError(fmt::format("{}: journal version {} (this rcbench reads version {})", path.string(),
                                       line.value("version", 0), kJournalVersion));
      j.header = std::move(line);
      continue;
    }
    if (!line.is_object())
      throw JournalError(fmt::format("{}: line {} is not a JSON object", path.string(), line_no));
    if (line.contains("context")) {
      j.last_context = line["context"];
    } else if (line.contains("session") && !line.contains("benchmark")) {
      j.sessions.push_back(std::move(line));
    } else if (line.contains("benchmark") && line.contains("entries") && line["entries"].is_array()) {
      FinishedBenchmark f;
      f.name = line["benchmark"].get<std::string>();
      f.entries = line["entries"];
      f.session = line.value("session", 0u);
      f.elapsed_s = line.value("elapsed_s", 0.0);
      if (seen.insert(f.name).second) j.finished.push_back(std::move(f));
    } else {
      throw JournalError(fmt::format("{}: line {} is neither a session, a context nor a benchmark",
                                     path.string(), line_no));
    }
  }
  if (line_no == 0) throw JournalError(fmt::format("{}: empty journal (no header)", path.string()));
  return j;
}

JournalWriter JournalWriter::create(const std::filesystem::path& path, const nlohmann::json& header) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_APPEND, 0644);
  if (fd < 0) throw JournalError(fmt::format("{}: cannot create the journal ({})", path.string(), errno_text()));
  JournalWriter w(path, fd);
  w.write(header);
  // The journal's directory entry must survive a reboot too.
  const int dir = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return w;
}

JournalWriter JournalWriter::append(const std::filesystem::path& path, std::size_t valid_bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_APPEND);
  if (fd < 0) throw JournalError(fmt::format("{}: cannot open the journal ({})", path.string(), errno_text()));
  JournalWriter w(path, fd);
  // A line a kill cut short would otherwise run into the next one.
  if (::ftruncate(fd, static_cast<off_t>(valid_bytes)) != 0)
    throw JournalError(fmt::format("{}: cannot cut off its partial last line ({})", path.string(), errno_text()));
  return w;
}

JournalWriter::JournalWriter(JournalWriter&& o) noexcept : path_(std::move(o.path_)), fd_(o.fd_) { o.fd_ = -1; }

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalWriter::write(const nlohmann::json& line) {
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw JournalError(fmt::format("{}: write failed ({})", path_.string(), errno_text()));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) throw JournalError(fmt::format("{}: fsync failed ({})", path_.string(), errno_text()));
}

nlohmann::json gbench_entries(const std::vector<benchmark::BenchmarkReporter::Run>& runs) {
  // A fresh reporter writes the entries of one call as "{...},\n{...}": an array's inside.
  std::ostringstream text;
  benchmark::JSONReporter json;
  json.SetOutputStream(&text);
  json.SetErrorStream(&text);
  json.ReportRuns(runs);
  return parse_gbench_text("[" + text.str() + "]");
}

JournalReporter::JournalReporter(JournalWriter& writer, unsigned repetitions, unsigned session,
                                 std::chrono::steady_clock::time_point session_start,
                                 std::function<void()> first_journaled)
    : writer_(writer),
      repetitions_(repetitions),
      session_(session),
      start_(session_start),
      first_journaled_(std::move(first_journaled)) {}

bool JournalReporter::ReportContext(const Context& context) {
  // Kept so that a resume with nothing left to run still has a context to write.
  std::ostringstream text;
  benchmark::JSONReporter json;
  json.SetOutputStream(&text);
  json.SetErrorStream(&text);
  json.ReportContext(context);
  writer_.write({{"session", session_}, {"context", parse_gbench_text(text.str() + "]}")["context"]}});
  return true;
}

void JournalReporter::ReportRuns(const std::vector<Run>& runs) {
  if (runs.empty()) return;
  const std::string name = runs.front().run_name.str();
  // Google Benchmark reports aggregates right after the repetitions they summarize; a
  // benchmark without them (fewer than two good repetitions) is done when another reports.
  if (awaiting_aggregates_ && *awaiting_aggregates_ != name) write(*awaiting_aggregates_);
  Pending& p = pending_[name];
  for (auto& e : gbench_entries(runs)) p.entries.push_back(std::move(e));
  if (runs.front().run_type == Run::RT_Aggregate) {
    write(name);
    return;
  }
  for (const Run& r : runs)
    if (r.run_type == Run::RT_Iteration) ++p.repetitions;
  if (p.repetitions < repetitions_) return;  // interleaved: repetitions still to come
  if (repetitions_ > 1)
    awaiting_aggregates_ = name;
  else
    write(name);
}

void JournalReporter::Finalize() {
  if (awaiting_aggregates_) write(*awaiting_aggregates_);
}

void JournalReporter::write(const std::string& name) {
  const auto it = pending_.find(name);
  if (awaiting_aggregates_ == name) awaiting_aggregates_.reset();
  if (it == pending_.end()) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // Before the line, not after: a signal between its write and the callback would
  // otherwise remove a journal that already holds a benchmark.
  if (first_journaled_) std::exchange(first_journaled_, nullptr)();
  writer_.write({{"benchmark", name}, {"session", session_}, {"elapsed_s", elapsed}, {"entries", it->second.entries}});
  pending_.erase(it);
}

}  // namespace rcbench::harness
