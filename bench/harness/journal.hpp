// The run journal: while `rcbench run` runs, every finished benchmark's Google
// Benchmark entries (all its repetitions and aggregates) go to `<out>.journal`, one JSON
// line each, flushed and fsynced, so a kill or a reboot loses at most the benchmark in
// flight. `rcbench run --resume <out>.journal` re-plans from the header, refuses if the
// binary, the plan or the machine changed, and runs only what the journal lacks
// (docs/run-format.md, "Journal and resume").
//
// Lines: the header first ({"format": "rcbench-journal", ...}), then, in any order that
// the run produced them, {"session": n, ...} when a session starts, {"context": ...}
// (Google Benchmark's context of that session) and {"benchmark": name, "entries": [...]}.
#pragma once

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rcbench::harness {

inline constexpr const char* kJournalFormat = "rcbench-journal";
inline constexpr int kJournalVersion = 1;

// A journal that cannot be read, written or used; the message says which and why.
struct JournalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `<out>.journal`: the journal of the run that writes `out`.
std::filesystem::path journal_path_for(const std::filesystem::path& out);

// What must not change between the sessions of one run. Each is a JSON object whose
// keys are compared one by one, so a refusal names what changed.
nlohmann::json binary_identity();  // git revision, version, compiler, flags, build type
nlohmann::json machine_identity(const nlohmann::json& topology_summary);  // host, cpu, PUs

// Stable 64-bit FNV-1a of `text`, as 16 hex digits: the plan's fingerprint.
std::string fingerprint(const std::string& text);

// Each difference between a journal's header and the header this session would write,
// one line per key: "binary.git_revision: 'abc' in the journal, 'def' now". Compares
// the "binary", "plan" and "machine" objects; empty when the run may resume.
std::vector<std::string> identity_mismatches(const nlohmann::json& recorded, const nlohmann::json& now);

// One benchmark an earlier session finished: its entries, as Google Benchmark's JSON
// reporter wrote them (repetitions, then aggregates).
struct FinishedBenchmark {
  std::string name;  // run name, as in rcbench.benchmarks[].name
  nlohmann::json entries = nlohmann::json::array();
  unsigned session = 0;
  double elapsed_s = 0;  // session time when it finished
};

struct JournalContents {
  nlohmann::json header;
  std::vector<nlohmann::json> sessions;           // the {"session": n, ...} lines
  std::vector<FinishedBenchmark> finished;        // in journal order, each name once
  nlohmann::json last_context;                    // the latest {"context"}'s, or null
  std::size_t valid_bytes = 0;                    // up to the last complete line
  bool dropped_partial_line = false;              // a kill cut the last line short

  unsigned last_session() const;
  // Time up to the last finished benchmark of a session (what it contributed).
  double session_wall_s(unsigned session) const;
};

// Reads a journal. A last line without its newline (a kill in mid-write) is ignored;
// any other unreadable line, a missing or foreign header, is a JournalError.
JournalContents read_journal(const std::filesystem::path& path);

// Appends lines, each written whole with one write() and fsynced before the next.
class JournalWriter {
 public:
  // A new journal (never an existing file or through a link), starting with `header`.
  static JournalWriter create(const std::filesystem::path& path, const nlohmann::json& header);
  // An existing journal, cut back to its last complete line first.
  static JournalWriter append(const std::filesystem::path& path, std::size_t valid_bytes);

  JournalWriter(JournalWriter&&) noexcept;
  JournalWriter& operator=(JournalWriter&&) = delete;
  JournalWriter(const JournalWriter&) = delete;
  ~JournalWriter();

  void write(const nlohmann::json& line);
  const std::filesystem::path& path() const { return path_; }

 private:
  JournalWriter(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_ = -1;
};

// A sink of the tee (tee_reporter.hpp): journals a benchmark once all its repetitions
// (and, for more than one, its aggregates) are in. With random interleaving a benchmark
// is journaled when its last repetition is; a benchmark killed with some repetitions
// done is run again whole on resume.
class JournalReporter : public benchmark::BenchmarkReporter {
 public:
  // `first_journaled`: called once, just before the first benchmark's line is written.
  JournalReporter(JournalWriter& writer, unsigned repetitions, unsigned session,
                  std::chrono::steady_clock::time_point session_start,
                  std::function<void()> first_journaled = {});
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  struct Pending {
    nlohmann::json entries = nlohmann::json::array();
    unsigned repetitions = 0;
  };
  void write(const std::string& name);

  JournalWriter& writer_;
  unsigned repetitions_;
  unsigned session_;
  std::chrono::steady_clock::time_point start_;
  std::map<std::string, Pending> pending_;
  std::optional<std::string> awaiting_aggregates_;
  std::function<void()> first_journaled_;
};

// Google Benchmark's JSON for these runs, as its JSON reporter writes them into
// "benchmarks" (strictly valid: non-finite numbers as null).
nlohmann::json gbench_entries(const std::vector<benchmark::BenchmarkReporter::Run>& runs);

// What run_plan needs to journal a session and to merge earlier ones (run.hpp).
struct JournalSession {
  JournalWriter* writer = nullptr;
  unsigned session = 1;                      // 1: a fresh run
  const JournalContents* earlier = nullptr;  // null for a fresh run
  std::string journal;                       // the path, for rcbench.resumed
  // Called just before the journal's first benchmark line: until then an interrupted
  // run has nothing worth resuming, and its caller may remove the journal on a signal.
  std::function<void()> first_journaled;
};

}  // namespace rcbench::harness
