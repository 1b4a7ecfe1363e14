// rcbench_fidelity: rcbench's own rows and independently written loops for the same
// operations, alternated in one process (A B B A ...), and a Markdown table of how
// far apart they are. Not a test: it asserts no timing; a reader judges the ratios.
// docs/fidelity.md says what each figure compares and how to read the table.
#include "figures.hpp"
#include "independent_loops.hpp"
#if RCBENCH_WITH_CPYTHON
#include "interpreter_loop.hpp"
#endif
#include "pingpong.hpp"
#include "rcbench_side.hpp"

#include "rcbench/topology/topology.hpp"

#include <fmt/chrono.h>
#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rcbench::fidelity {
namespace {

struct Options {
  unsigned rounds = 5;
  unsigned repetitions = 1;
  double min_time_s = 0.2;
  double window_s = 0.2;  // each independent loop's time
  std::string placement;
  bool progress = false;
};

constexpr std::string_view kUsage =
    "usage: rcbench_fidelity [--rounds N] [--repetitions R] [--min-time S] [--window S]\n"
    "                        [--placement CLASS] [--progress]\n"
    "  Runs rcbench's rows (harness API, R repetitions of S seconds each) and independent\n"
    "  loops (S seconds each, --window) for the same ops, alternating A B B A for N rounds\n"
    "  (default 5), and prints a Markdown comparison on stdout. --placement picks the pair\n"
    "  class for the two-thread rows (default: rcbench's first). --progress shows rcbench's\n"
    "  progress lines on stderr.\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double parse_positive(const std::string& flag, const std::string& text, double max) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(v > 0) || v > max)
    throw UsageError(fmt::format("{}: expected a number in (0, {}], got '{}'", flag, max, text));
  return v;
}

unsigned parse_count(const std::string& flag, const std::string& text, unsigned max) {
  const double v = parse_positive(flag, text, max);
  if (v != static_cast<double>(static_cast<unsigned>(v)))
    throw UsageError(fmt::format("{}: expected a whole number in 1..{}, got '{}'", flag, max, text));
  return static_cast<unsigned>(v);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw UsageError(a + " needs a value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage.data(), stdout);
      std::exit(0);
    } else if (a == "--rounds") {
      o.rounds = parse_count(a, value(), 1000);
    } else if (a == "--repetitions") {
      o.repetitions = parse_count(a, value(), 100);
    } else if (a == "--min-time") {
      o.min_time_s = parse_positive(a, value(), 10);
    } else if (a == "--window") {
      o.window_s = parse_positive(a, value(), 10);
    } else if (a == "--placement") {
      o.placement = value();
    } else if (a == "--progress") {
      o.progress = true;
    } else {
      throw UsageError("unknown argument '" + a + "'");
    }
  }
  return o;
}

// ---- the independent side ------------------------------------------------------

struct IndependentRound {
  std::map<Independent, double> value;
  std::map<Independent, std::string> problem;
  double min_overlap = 1;  // of the two-thread windows: below 1, a thread ran alone for a while
};

IndependentRound run_independent(const Options& o, std::optional<unsigned> pu,
                                 std::optional<std::array<unsigned, 2>> pair) {
  IndependentRound r;
  auto attempt = [&r](std::initializer_list<Independent> which, auto&& measure) {
    try {
      measure();
    } catch (const std::exception& e) {
      for (auto w : which) r.problem[w] = e.what();
    }
  };
  const std::pair<Independent, SingleLoop> singles[] = {
      {Independent::empty, SingleLoop::empty},   {Independent::plain, SingleLoop::plain},
      {Independent::atomic, SingleLoop::atomic}, {Independent::cas, SingleLoop::cas},
      {Independent::biased_owner, SingleLoop::biased_owner},
      {Independent::biased_nonowner, SingleLoop::biased_nonowner},
      {Independent::immortal, SingleLoop::immortal},
      {Independent::immortal_fallthrough, SingleLoop::immortal_fallthrough}};
  for (const auto& [key, loop] : singles) {
    if (!pu) {
      r.problem[key] = "no single-thread PU (no rcbench row to take it from)";
      continue;
    }
    attempt({key}, [&, key = key, loop = loop] { r.value[key] = single_thread_ns_per_op(loop, *pu, o.window_s); });
  }
#if RCBENCH_WITH_CPYTHON
  if (pu) {
    attempt({Independent::cpython_eval},
            [&] { r.value[Independent::cpython_eval] = real_interpreter_ns_per_op(*pu, o.window_s); });
  }
#endif
  const std::initializer_list<Independent> pair_keys = {
      Independent::shared_thread, Independent::shared_total, Independent::false_sharing_8,
      Independent::false_sharing_128, Independent::pingpong_two_line_min,
      Independent::pingpong_one_line_cas_min, Independent::pingpong_one_line_cas_mean};
  if (!pair) {
    for (auto k : pair_keys) r.problem[k] = "no pair of PUs (no two-thread rcbench row)";
    return r;
  }
  attempt({Independent::shared_thread, Independent::shared_total}, [&] {
    const PairWindow w = shared_atomic(*pair, o.window_s);
    r.value[Independent::shared_thread] = w.ns_per_op_thread;
    r.value[Independent::shared_total] = w.ns_per_op_total;
    r.min_overlap = std::min(r.min_overlap, w.overlap);
  });
  for (const auto& [key, distance] : {std::pair{Independent::false_sharing_8, 8u}, {Independent::false_sharing_128, 128u}})
    attempt({key}, [&, key = key, distance = distance] {
      const PairWindow w = false_sharing(*pair, distance, o.window_s);
      r.value[key] = w.ns_per_op_thread;
      r.min_overlap = std::min(r.min_overlap, w.overlap);
    });
  attempt({Independent::pingpong_two_line_min},
          [&] { r.value[Independent::pingpong_two_line_min] = pingpong_two_line(*pair).min_one_way_ns; });
  attempt({Independent::pingpong_one_line_cas_min, Independent::pingpong_one_line_cas_mean}, [&] {
    const PingPongResult p = pingpong_one_line_cas(*pair);
    r.value[Independent::pingpong_one_line_cas_min] = p.min_one_way_ns;
    r.value[Independent::pingpong_one_line_cas_mean] = p.mean_one_way_ns;
  });
  return r;
}

// ---- one round of both sides ---------------------------------------------------

struct FigureRound {
  std::optional<double> raw, corrected;                  // rcbench
  std::optional<double> independent, independent_raw;   // independent: as compared, and raw
};
using Round = std::map<std::string_view, FigureRound>;

Round combine(const RcbenchSide& rc, const RoundRows& rows, const IndependentRound& ind,
              std::map<std::string, std::string>& problems) {
  Round out;
  const Figure* null_figure = &kFigures[0];
  const Reading null_reading = rc.read(rows, *null_figure);
  for (const Figure& f : kFigures) {
    FigureRound fr;
    const Reading r = rc.read(rows, f);
    fr.raw = r.value;
    if (!r.problem.empty() && r.problem != "no row") problems[fmt::format("{} (rcbench)", f.label)] = r.problem;
    // Only single-thread rows other than the null row itself are corrected.
    if (f.scope == Scope::single && &f != null_figure && r.value && null_reading.value)
      fr.corrected = *r.value - *null_reading.value;
    if (const auto v = ind.value.find(f.independent); v != ind.value.end()) {
      fr.independent = fr.independent_raw = v->second;
      // Corrected the same way on both sides: minus the side's own empty block.
      const auto empty = ind.value.find(Independent::empty);
      if (f.scope == Scope::single && &f != null_figure && empty != ind.value.end())
        fr.independent = v->second - empty->second;
    }
    if (const auto p = ind.problem.find(f.independent); p != ind.problem.end())
      problems[fmt::format("{} (independent)", f.label)] = p->second;
    out.emplace(f.key, fr);
  }
  return out;
}

// rcbench's figure as compared: corrected where there is a correction, else raw.
std::optional<double> compared(const FigureRound& fr) { return fr.corrected ? fr.corrected : fr.raw; }

// ---- report --------------------------------------------------------------------

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string cell(const std::vector<double>& v, int digits = 3) {
  return v.empty() ? "missing" : fmt::format("{:.{}f}", median(v), digits);
}

std::string range(const std::vector<double>& v) {
  if (v.empty()) return "—";
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return fmt::format("{:.2f}–{:.2f}", *lo, *hi);
}

std::string read_first_line(const char* path, std::string_view prefix = {}) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(prefix)) return prefix.empty() ? line : line.substr(line.find(':') + 2);
  return "unknown";
}

std::string load_average() {
  const std::string l = read_first_line("/proc/loadavg");
  std::size_t pos = 0;
  for (int field = 0; field < 3 && pos != std::string::npos; ++field) pos = l.find(' ', pos + 1);
  return pos == std::string::npos ? l : l.substr(0, pos);
}

std::string utc_now() { return fmt::format("{:%Y-%m-%d %H:%M:%SZ}", fmt::gmtime(std::time(nullptr))); }

const ScopeCounters& scope_of(Scope s) {
  for (const auto& c : kScopeCounters)
    if (c.scope == s) return c;
  throw std::logic_error("scope");
}

const Figure& figure(std::string_view key) {
  for (const auto& f : kFigures)
    if (f.key == key) return f;
  throw std::logic_error("no figure " + std::string(key));
}

void print_report(const Options& o, const std::string& command, const RcbenchSide& rc,
                  const std::vector<Round>& rounds, double min_overlap, const std::map<std::string, std::string>& problems,
                  const std::string& load_before, const std::string& load_after, const std::string& started) {
  fmt::print("# rcbench fidelity check\n\n");
  fmt::print("- started {}; command `{}`\n", started, command);
  fmt::print("- CPU: {}\n", read_first_line("/proc/cpuinfo", "model name"));
  fmt::print("- load average (1, 5, 15 min) before: {}; after: {}\n", load_before, load_after);
  fmt::print("- {} rounds, order A B B A (round 1 rcbench first, round 2 independent first, ...); "
             "rcbench {} repetition(s) x {} s per row, independent {} s per loop\n",
             rounds.size(), o.repetitions, o.min_time_s, o.window_s);
  fmt::print("- single-thread figures on PU {}; two-thread figures on PUs {} (placement `{}`)\n",
             rc.single_pu() ? std::to_string(*rc.single_pu()) : "none",
             rc.pair_pus() ? fmt::format("{},{}", (*rc.pair_pus())[0], (*rc.pair_pus())[1]) : "none",
             rc.placement());
  fmt::print("- independent two-thread windows: smallest overlap {:.3f} (1: both threads ran the whole window)\n",
             min_overlap);
  fmt::print("- corrected (single-thread rows only) = raw − the same side's null block of the same round: "
             "rcbench's null row, the independent empty loop; ratio = rcbench corrected / independent "
             "corrected (raw / raw elsewhere), median of the per-round ratios; *raw ratio* is raw / raw\n\n");

  fmt::print("| figure | unit, scope | rcbench raw | rcbench corrected | independent raw | independent corrected | rcbench / independent | per-round ratio range | raw ratio |\n");
  fmt::print("|---|---|---:|---:|---:|---:|---:|---|---:|\n");
  for (const Figure& f : kFigures) {
    std::vector<double> raw, corr, ind, ind_raw, ratio, raw_ratio;
    for (const Round& r : rounds) {
      const FigureRound& fr = r.at(f.key);
      if (fr.raw) raw.push_back(*fr.raw);
      if (fr.corrected) corr.push_back(*fr.corrected);
      if (fr.independent) ind.push_back(*fr.independent);
      if (fr.independent_raw) ind_raw.push_back(*fr.independent_raw);
      if (compared(fr) && fr.independent && *fr.independent > 0) ratio.push_back(*compared(fr) / *fr.independent);
      if (fr.raw && fr.independent_raw && *fr.independent_raw > 0) raw_ratio.push_back(*fr.raw / *fr.independent_raw);
    }
    const std::string_view unit = scope_of(f.scope).unit;
    const bool corrected = f.scope == Scope::single && f.key != kFigures[0].key;
    fmt::print("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", f.label, unit, cell(raw),
               corrected ? cell(corr) : "—", cell(ind_raw), corrected ? cell(ind) : "—",
               ratio.empty() ? "missing" : fmt::format("{:.2f}", median(ratio)), range(ratio),
               corrected ? cell(raw_ratio, 2) : "—");
  }

  fmt::print("\n## Ratios within each side\n\n");
  fmt::print("Each side's own ratio per round (rcbench: corrected figures where there are), median over rounds.\n\n");
  fmt::print("| ratio | rcbench | independent | rcbench / independent | per-round range |\n|---|---:|---:|---:|---|\n");
  for (const RatioFigure& q : kRatios) {
    std::vector<double> rcr, indr, both;
    for (const Round& r : rounds) {
      const FigureRound& n = r.at(q.num);
      const FigureRound& d = r.at(q.den);
      std::optional<double> a, b;
      if (compared(n) && compared(d) && *compared(d) > 0) rcr.push_back(*(a = *compared(n) / *compared(d)));
      if (n.independent && d.independent && *d.independent > 0)
        indr.push_back(*(b = *n.independent / *d.independent));
      if (a && b) both.push_back(*a / *b);
    }
    fmt::print("| {} / {} | {} | {} | {} | {} |\n", figure(q.num).label, figure(q.den).label, cell(rcr, 2),
               cell(indr, 2), both.empty() ? "missing" : fmt::format("{:.2f}", median(both)), range(both));
  }

  fmt::print("\n## Per round (rcbench compared figure / independent)\n\n| figure |");
  for (std::size_t i = 0; i < rounds.size(); ++i) fmt::print(" round {} |", i + 1);
  fmt::print("\n|---|");
  for (std::size_t i = 0; i < rounds.size(); ++i) fmt::print("---|");
  fmt::print("\n");
  auto num = [](const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : std::string("—"); };
  for (const Figure& f : kFigures) {
    fmt::print("| {} |", f.label);
    for (const Round& r : rounds) fmt::print(" {} / {} |", num(compared(r.at(f.key))), num(r.at(f.key).independent));
    fmt::print("\n");
  }

  if (!problems.empty() || !rc.notes().empty()) {
    fmt::print("\n## Missing figures and notes\n\n");
    for (const auto& n : rc.notes()) fmt::print("- {}\n", n);
    for (const auto& [what, why] : problems) fmt::print("- {}: {}\n", what, why);
  }
  if (!loops_supported()) fmt::print("\n{}\n", unsupported_reason());
}

int run(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::string command;
  for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
  const std::string started = utc_now();
  const std::string load_before = load_average();

  const auto topology = topo::Topology::this_system();
  if (!topology.is_this_system())
    throw UsageError("the topology is not this system (HWLOC_XMLFILE/HWLOC_SYNTHETIC set?): nothing can be pinned");
  RcbenchSide rc(topology, {.repetitions = o.repetitions, .min_time_s = o.min_time_s, .placement = o.placement,
                            .progress = o.progress ? stderr : nullptr});

  std::vector<Round> rounds;
  std::map<std::string, std::string> problems;
  double min_overlap = 1;
  for (unsigned i = 0; i < o.rounds; ++i) {
    // A B B A: which side goes first alternates, so a drift over the run (thermal,
    // a neighbour's load) leans on both sides alike.
    const bool rcbench_first = i % 2 == 0;
    fmt::print(stderr, "rcbench_fidelity: round {}/{} ({} first)\n", i + 1, o.rounds,
               rcbench_first ? "rcbench" : "independent");
    RoundRows rows;
    IndependentRound ind;
    if (rcbench_first) rows = rc.run_round();
    ind = run_independent(o, rc.single_pu(), rc.pair_pus());
    if (!rcbench_first) rows = rc.run_round();
    rounds.push_back(combine(rc, rows, ind, problems));
    min_overlap = std::min(min_overlap, ind.min_overlap);
  }
  print_report(o, command, rc, rounds, min_overlap, problems, load_before, load_average(), started);
  return 0;
}

}  // namespace
}  // namespace rcbench::fidelity

int main(int argc, char** argv) {
  try {
    return rcbench::fidelity::run(argc, argv);
  } catch (const rcbench::fidelity::UsageError& e) {
    std::fprintf(stderr, "rcbench_fidelity: %s\n%s", e.what(), rcbench::fidelity::kUsage.data());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rcbench_fidelity: %s\n", e.what());
    return 1;
  }
}
