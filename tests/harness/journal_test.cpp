// The run journal (journal.hpp): lines written and read back, a line a kill cut short
// ignored and cut off before the next append, foreign or corrupt journals refused,
// a changed binary, plan or machine named, and benchmarks journaled only when whole.
#include "journal.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rcbench::harness {
namespace {

namespace fs = std::filesystem;
using GbRun = benchmark::BenchmarkReporter::Run;

// A folder of its own per test, removed after.
class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rcbench-journal-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path path() const { return dir_ / "run.json.journal"; }
  fs::path dir_;
};

nlohmann::json header() {
  return {{"format", kJournalFormat},
          {"version", kJournalVersion},
          {"binary", {{"git_revision", "abc"}, {"flags", "-O3"}}},
          {"plan", {{"fingerprint", "0123"}, {"repetitions", 3}}},
          {"machine", {{"hostname", "h1"}, {"cpu_model", "X"}, {"allowed_pus", "0-1"}}},
          {"flags", {{"profile", "quick"}}},
          {"output", "/tmp/run.json"}};
}

nlohmann::json benchmark_line(const std::string& name, unsigned session, double elapsed) {
  return {{"benchmark", name},
          {"session", session},
          {"elapsed_s", elapsed},
          {"entries", nlohmann::json::array({{{"name", name}, {"run_type", "iteration"}}})}};
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void append_raw(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::app);
  out << text;
}

TEST_F(JournalTest, WritesAndReadsHeaderSessionsAndBenchmarks) {
  {
    JournalWriter w = JournalWriter::create(path(), header());
    w.write({{"session", 1}, {"command_line", "rcbench run"}});
    w.write({{"session", 1}, {"context", {{"host_name", "h1"}}}});
    w.write(benchmark_line("a/real_time/threads:1", 1, 1.5));
    w.write(benchmark_line("b/real_time/threads:2", 1, 2.5));
  }
  const JournalContents j = read_journal(path());
  EXPECT_EQ(j.header, header());
  ASSERT_EQ(j.sessions.size(), 1u);
  EXPECT_EQ(j.last_session(), 1u);
  EXPECT_EQ(j.last_context["host_name"], "h1");
  ASSERT_EQ(j.finished.size(), 2u);
  EXPECT_EQ(j.finished[0].name, "a/real_time/threads:1");
  EXPECT_EQ(j.finished[1].name, "b/real_time/threads:2");
  EXPECT_EQ(j.finished[1].entries.size(), 1u);
  EXPECT_EQ(j.session_wall_s(1), 2.5);
  EXPECT_EQ(j.valid_bytes, fs::file_size(path()));
  EXPECT_FALSE(j.dropped_partial_line);
  // Every line is one JSON object and ends in a newline.
  const std::string text = read_all(path());
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);
  EXPECT_EQ(text.back(), '\n');
}

TEST_F(JournalTest, IgnoresALineAKillCutShortAndCutsItOffBeforeAppending) {
  std::size_t whole = 0;
  {
    JournalWriter w = JournalWriter::create(path(), header());
    w.write({{"session", 1}});
    w.write(benchmark_line("a", 1, 1.0));
    whole = fs::file_size(path());
  }
  append_raw(path(), R"({"benchmark":"b","session":1,"entries":[{"na)");
  const JournalContents cut = read_journal(path());
  EXPECT_TRUE(cut.dropped_partial_line);
  EXPECT_EQ(cut.valid_bytes, whole);
  ASSERT_EQ(cut.finished.size(), 1u);
  EXPECT_EQ(cut.finished[0].name, "a");

  {
    JournalWriter w = JournalWriter::append(path(), cut.valid_bytes);
    w.write({{"session", 2}});
    w.write(benchmark_line("b", 2, 0.5));
  }
  const JournalContents resumed = read_journal(path());
  EXPECT_FALSE(resumed.dropped_partial_line);
  EXPECT_EQ(resumed.last_session(), 2u);
  ASSERT_EQ(resumed.finished.size(), 2u);
  EXPECT_EQ(resumed.finished[1].name, "b");
  EXPECT_EQ(resumed.finished[1].session, 2u);
  EXPECT_EQ(resumed.session_wall_s(1), 1.0);
  EXPECT_EQ(resumed.session_wall_s(2), 0.5);
}

TEST_F(JournalTest, KeepsTheFirstOfABenchmarkJournaledTwice) {
  {
    JournalWriter w = JournalWriter::create(path(), header());
    w.write(benchmark_line("a", 1, 1.0));
    w.write(benchmark_line("a", 2, 9.0));
  }
  const JournalContents j = read_journal(path());
  ASSERT_EQ(j.finished.size(), 1u);
  EXPECT_EQ(j.finished[0].session, 1u);
}

void refused(const fs::path& p, const std::string& needle) {
  try {
    read_journal(p);
    ADD_FAILURE() << "read, expected an error mentioning '" << needle << "'";
  } catch (const JournalError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST_F(JournalTest, RefusesForeignEmptyAndCorruptJournals) {
  refused(dir_ / "missing.journal", "cannot read");
  append_raw(dir_ / "empty.journal", "");
  refused(dir_ / "empty.journal", "empty journal");
  append_raw(dir_ / "foreign.journal", "{\"context\": {}}\n");
  refused(dir_ / "foreign.journal", "not an rcbench run journal");
  nlohmann::json newer = header();
  newer["version"] = kJournalVersion + 1;
  append_raw(dir_ / "newer.journal", newer.dump() + "\n");
  refused(dir_ / "newer.journal", "journal version");
  // A complete line that does not parse is damage, not a kill: never skipped silently.
  append_raw(dir_ / "corrupt.journal", header().dump() + "\n{\"benchmark\": \n" + benchmark_line("a", 1, 1).dump() + "\n");
  refused(dir_ / "corrupt.journal", "line 2 is not JSON");
  append_raw(dir_ / "odd.journal", header().dump() + "\n{\"something\": 1}\n");
  refused(dir_ / "odd.journal", "line 2 is neither");
}

TEST_F(JournalTest, CreateNeverReplacesAFileOrFollowsALink) {
  append_raw(path(), "precious\n");
  EXPECT_THROW(JournalWriter::create(path(), header()), JournalError);
  EXPECT_EQ(read_all(path()), "precious\n");
  fs::create_symlink(dir_ / "elsewhere", dir_ / "link.journal");
  EXPECT_THROW(JournalWriter::create(dir_ / "link.journal", header()), JournalError);
  EXPECT_FALSE(fs::exists(dir_ / "elsewhere"));
}

TEST(JournalIdentity, NamesWhatChanged) {
  const nlohmann::json a = header();
  EXPECT_TRUE(identity_mismatches(a, a).empty());
  // Flags and output are what a resume re-plans from, not identities.
  nlohmann::json other_flags = a;
  other_flags["flags"]["profile"] = "full";
  EXPECT_TRUE(identity_mismatches(a, other_flags).empty());

  auto one = [&](const char* part, const char* key, const nlohmann::json& value, const std::string& needle) {
    nlohmann::json b = a;
    b[part][key] = value;
    const auto m = identity_mismatches(a, b);
    ASSERT_EQ(m.size(), 1u) << part << "." << key;
    EXPECT_NE(m[0].find(needle), std::string::npos) << m[0];
  };
  one("binary", "git_revision", "def", "binary.git_revision: 'abc' in the journal, 'def' now");
  one("plan", "fingerprint", "4567", "plan.fingerprint: '0123' in the journal, '4567' now");
  one("plan", "repetitions", 5, "plan.repetitions: 3 in the journal, 5 now");
  one("machine", "hostname", "h2", "machine.hostname: 'h1' in the journal, 'h2' now");
  one("machine", "allowed_pus", "0", "machine.allowed_pus");
  one("machine", "numa_nodes", 2, "machine.numa_nodes: (none) in the journal, 2 now");
}

TEST(JournalIdentity, FingerprintIsFnv1a64) {
  EXPECT_EQ(fingerprint(""), "cbf29ce484222325");
  EXPECT_EQ(fingerprint("a"), "af63dc4c8601ec8c");
  EXPECT_NE(fingerprint("{\"repetitions\":3}"), fingerprint("{\"repetitions\":4}"));
}

TEST(JournalIdentity, BinaryAndMachineIdentitiesAreThisBuildAndHost) {
  const nlohmann::json b = binary_identity();
  for (const char* key : {"git_revision", "version", "compiler", "flags", "build_type"})
    EXPECT_TRUE(b.contains(key)) << key;
  const nlohmann::json m = machine_identity({{"pus", 2}, {"allowed_pus", "0-1"}, {"cores", 2}, {"source", "ignored"}});
  EXPECT_EQ(m["pus"], 2);
  EXPECT_EQ(m["allowed_pus"], "0-1");
  EXPECT_FALSE(m.contains("source"));
  EXPECT_TRUE(m.contains("hostname"));
  EXPECT_TRUE(m.contains("cpu_model"));
}

// A Google Benchmark run of benchmark `name`: repetition `rep` of `reps`, or an aggregate.
GbRun run_of(const std::string& name, int64_t rep, int64_t reps, const std::string& aggregate = "") {
  GbRun r;
  r.run_name.function_name = name;
  r.family_index = 0;
  r.per_family_instance_index = 0;
  r.repetition_index = rep;
  r.repetitions = reps;
  r.real_accumulated_time = 1e-3;
  r.cpu_accumulated_time = 1e-3;
  r.iterations = 1000;
  if (!aggregate.empty()) {
    r.run_type = GbRun::RT_Aggregate;
    r.aggregate_name = aggregate;
  }
  return r;
}

class JournalReporterTest : public JournalTest {
 protected:
  JournalContents after(unsigned repetitions, const std::vector<std::vector<GbRun>>& calls, bool finalize) {
    {
      JournalWriter w = JournalWriter::create(path(), header());
      JournalReporter rep(w, repetitions, 1, std::chrono::steady_clock::now());
      for (const auto& c : calls) rep.ReportRuns(c);
      if (finalize) rep.Finalize();
    }
    JournalContents j = read_journal(path());
    fs::remove(path());
    return j;
  }
};

TEST_F(JournalReporterTest, JournalsABenchmarkWithItsAggregatesInOneLine) {
  const auto j = after(2, {{run_of("a", 0, 2), run_of("a", 1, 2)}, {run_of("a", 0, 2, "mean"), run_of("a", 0, 2, "median")}},
                       false);
  ASSERT_EQ(j.finished.size(), 1u);
  const auto& e = j.finished[0].entries;
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0]["run_name"], "a");
  EXPECT_EQ(e[0]["repetition_index"], 0);
  EXPECT_EQ(e[1]["repetition_index"], 1);
  EXPECT_EQ(e[2]["aggregate_name"], "mean");
  EXPECT_EQ(e[3]["name"], "a_median");
  EXPECT_EQ(j.finished[0].session, 1u);
}

TEST_F(JournalReporterTest, WaitsForAggregatesButNotForever) {
  // Repetitions in, aggregates not yet: not journaled (a kill now re-runs it whole).
  EXPECT_TRUE(after(2, {{run_of("a", 0, 2), run_of("a", 1, 2)}}, false).finished.empty());
  // No aggregates came (too few good repetitions): journaled when the next one reports.
  const auto j = after(2, {{run_of("a", 0, 2), run_of("a", 1, 2)}, {run_of("b", 0, 2), run_of("b", 1, 2)}}, false);
  ASSERT_EQ(j.finished.size(), 1u);
  EXPECT_EQ(j.finished[0].name, "a");
  EXPECT_EQ(j.finished[0].entries.size(), 2u);
  // ... or when the run ends.
  EXPECT_EQ(after(2, {{run_of("a", 0, 2), run_of("a", 1, 2)}}, true).finished.size(), 1u);
}

TEST_F(JournalReporterTest, OneRepetitionIsJournaledAtOnce) {
  const auto j = after(1, {{run_of("a", 0, 1)}}, false);
  ASSERT_EQ(j.finished.size(), 1u);
  EXPECT_EQ(j.finished[0].entries.size(), 1u);
}

TEST_F(JournalReporterTest, InterleavedRepetitionsAreJournaledWhenTheLastIsIn) {
  // Reported one repetition per call: a benchmark is whole only with all of them.
  const auto j = after(2,
                       {{run_of("a", 0, 2)}, {run_of("b", 0, 2)}, {run_of("a", 1, 2)},
                        {run_of("a", 0, 2, "mean")}},
                       true);
  ASSERT_EQ(j.finished.size(), 1u) << "b has one repetition of two: it must be run again";
  EXPECT_EQ(j.finished[0].name, "a");
  EXPECT_EQ(j.finished[0].entries.size(), 3u);
}

TEST_F(JournalReporterTest, SaysOnceJustBeforeTheFirstBenchmarkIsJournaled) {
  int calls = 0;
  std::size_t lines_then = 0;
  {
    JournalWriter w = JournalWriter::create(path(), header());
    JournalReporter rep(w, 1, 1, std::chrono::steady_clock::now(), [&] {
      ++calls;
      lines_then = read_journal(path()).finished.size();
    });
    rep.ReportRuns({run_of("a", 0, 1)});
    rep.ReportRuns({run_of("b", 0, 1)});
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(lines_then, 0u) << "called after the line was written: a signal then would remove it";
  EXPECT_EQ(read_journal(path()).finished.size(), 2u);
}

TEST_F(JournalReporterTest, EntriesAreGoogleBenchmarksJson) {
  std::vector<GbRun> runs = {run_of("x/real_time", 0, 1)};
  runs[0].counters["ops"] = benchmark::Counter(5);
  const nlohmann::json e = gbench_entries(runs);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]["name"], "x/real_time");
  EXPECT_EQ(e[0]["run_type"], "iteration");
  EXPECT_EQ(e[0]["iterations"], 1000);
  EXPECT_EQ(e[0]["ops"], 5);
  EXPECT_EQ(gbench_entries({}), nlohmann::json::array());
}

}  // namespace
}  // namespace rcbench::harness
