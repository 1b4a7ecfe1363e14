#include "refcount_body.hpp"

#include <sched.h>
#include <time.h>

#include <algorithm>
#include <limits>
#include <map>
#include <thread>

#include "rcbench/topology/pinning.hpp"
#include "rcbench/topology/topology.hpp"
#include "perf/thread_counters.hpp"

namespace rcbench::harness {

struct RunPin::Impl {
  std::optional<topo::ThreadPin> pin;
};

RunPin::RunPin(const Runtime& rt, unsigned pu, TeamStatus& status) : impl_(std::make_unique<Impl>()) {
  try {
    impl_->pin.emplace(*rt.topology, pu);
  } catch (const std::exception& e) {
    // Refuse, loudly, to report an unpinned run as pinned: the whole run fails.
    status.fail("could not pin to PU " + std::to_string(pu) + ": " + e.what());
  }
}
RunPin::~RunPin() = default;

struct RunCounters::Impl {
  std::optional<perf::ThreadCounters> counters;
};

RunCounters::RunCounters(const Runtime& rt, TeamStatus& status) : impl_(std::make_unique<Impl>()) {
  if (rt.events == nullptr) return;
  try {
    impl_->counters.emplace(*rt.events);
  } catch (const std::exception& e) {
    status.fail(std::string("performance counters: ") + e.what());
  }
}
RunCounters::~RunCounters() = default;
void RunCounters::start() {
  if (impl_->counters) impl_->counters->start();
}
void RunCounters::stop() {
  if (impl_->counters) impl_->counters->stop();
}
std::vector<std::pair<std::string, long long>> RunCounters::values() const {
  if (!impl_->counters) return {};
  return impl_->counters->values();
}

int current_pu_or_minus_one() { return sched_getcpu(); }

std::int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

std::optional<double> probe_pair(const Rendezvous& meet, int me, TwoLinePingPong& pp) {
  const BenchSpec& spec = meet.spec;
  if (spec.threads() >= 2) {
    if (me == 0) return pp.run_initiator();
    if (me == 1) pp.run_responder();
    return std::nullopt;
  }
  if (!spec.has_probe_partner) return std::nullopt;
  // One-thread rows: a helper on a second PU answers, so single-thread figures
  // carry the same record of the host's placement as the others. A new thread
  // starts on its creator's PU: wait (yielding that PU) until it has moved to its
  // own, or a spinning initiator would hold it off for a whole time slice.
  std::atomic<bool> ready{false};
  std::thread helper([&] {
    try {
      topo::ThreadPin pin(*meet.runtime->topology, spec.probe_partner_pu);
      ready.store(true, std::memory_order_release);
      pp.run_responder();
    } catch (const std::exception&) {
      ready.store(true, std::memory_order_release);  // the initiator then times out
    }
  });
  while (!ready.load(std::memory_order_acquire)) std::this_thread::yield();
  auto result = pp.run_initiator();
  helper.join();
  return result;
}

namespace {

double ns_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::nano>(b - a).count();
}

}  // namespace

void publish_outcomes(benchmark::State& state, const BenchSpec& spec,
                      const std::vector<ThreadOutcome>& outcomes, std::uint64_t drift, bool exact,
                      std::optional<RaceFigures> race, std::optional<double> probe_before,
                      std::optional<double> probe_after, const std::optional<MemoryCheck>& memory,
                      std::optional<GilWindowCounts> gil) {
  auto& c = state.counters;
  double total_ops = 0, total_cpu = 0;
  double min_rate = std::numeric_limits<double>::infinity(), max_rate = 0, sum_rate = 0;
  auto first_begin = outcomes.front().begin, last_begin = outcomes.front().begin;
  auto first_end = outcomes.front().end, last_end = outcomes.front().end;
  std::uint64_t protocol_errors = 0;
  std::vector<std::string> misplaced;
  std::map<std::string, double> perf_totals;
  // The window ends when thread 0 stops it. A thread that ends later only finished
  // the block it was in, or (GIL) waited to be woken to see the stop: that wait is
  // not part of the window. Coupled workloads stop together and set no stop time.
  const Clock::time_point stop = outcomes.front().stop;
  auto end_of = [stop](const ThreadOutcome& o) {
    return stop == Clock::time_point{} ? o.end : std::min(o.end, std::max(stop, o.begin));
  };
  first_end = last_end = end_of(outcomes.front());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const ThreadOutcome& o = outcomes[i];
    const double ops = static_cast<double>(o.ops);
    const Clock::time_point end = end_of(o);
    const double window = ns_between(o.begin, end);
    total_ops += ops;
    total_cpu += static_cast<double>(o.cpu_ns);
    // Ops per ns. A thread the host kept off its CPU until after the stop has an empty
    // window and no ops: rate 0 (and its repetition an overlap of 0, so it is flagged).
    const double rate = window > 0 ? ops / window : 0.0;
    min_rate = std::min(min_rate, rate);
    max_rate = std::max(max_rate, rate);
    sum_rate += rate;
    first_begin = std::min(first_begin, o.begin);
    last_begin = std::max(last_begin, o.begin);
    first_end = std::min(first_end, end);
    last_end = std::max(last_end, end);
    protocol_errors += o.protocol_errors;
    const std::string t = "t" + std::to_string(i);
    c[t + "_pu"] = o.pu_after;
    if (o.ops != 0 && window > 0) c[t + "_ns_per_op"] = window / ops;
    if (o.pu_before != static_cast<int>(spec.pus[i]) || o.pu_after != o.pu_before)
      misplaced.push_back(t + " asked for PU " + std::to_string(spec.pus[i]) + ", ran on " +
                          std::to_string(o.pu_before) + " then " + std::to_string(o.pu_after));
    for (const auto& [name, value] : o.perf) {
      const bool os_counter = name == "migrations" || name == "ctx_switches";
      perf_totals[os_counter ? name : "papi:" + name] += static_cast<double>(value);
    }
  }
  // Where the kernel put the object's page, beside where the row asked for it: recorded
  // for every repetition, so a reader sees the node of each one.
  if (memory) {
    c["mem_node_wanted"] = memory->wanted;
    if (memory->found) c["mem_node"] = *memory->found;
  }
  const std::string memory_error = memory ? misplaced_memory(*memory) : std::string();
  // Did every thread work? A GIL held across blocks may leave threads waiting the whole
  // window; then the row's figures are those of the threads that did (docs/run-format.md).
  const ThreadSpread spread = thread_spread(outcomes);
  c["threads_worked"] = static_cast<double>(spread.threads_worked);
  c["ops_per_thread_min"] = static_cast<double>(spread.min_ops);
  c["ops_per_thread_max"] = static_cast<double>(spread.max_ops);
  // With two or more threads only: one thread hands the GIL to nobody (1 switch, 0
  // requests), and a counter that some rows lack must not be in the first row Google
  // Benchmark's CSV reporter sees (it aborts on a name missing from its header).
  if (gil && outcomes.size() >= 2) {
    c["gil_switches"] = static_cast<double>(gil->switches);
    c["gil_drop_requests"] = static_cast<double>(gil->drop_requests);
  }
  if (total_ops == 0) {
    state.SkipWithError("no block completed in the window");
    return;
  }
  const double n = static_cast<double>(outcomes.size());
  const double window = ns_between(first_begin, last_end);
  c["ops"] = total_ops;
  c["window_ns"] = window;
  // Per thread: the window over the ops of an average thread (the inverse of the
  // mean rate), so a thread the GIL kept waiting weighs as it should.
  c["ns_per_op_thread"] = n / sum_rate;
  c["ns_per_op_total"] = window / total_ops;
  c["cpu_ns_per_op_thread"] = total_cpu / total_ops;
  c["ops_per_s_total"] = total_ops / window * 1e9;
  // The share of the window during which every thread was running its blocks.
  c["overlap"] = outcomes.size() == 1
                     ? 1.0
                     : std::clamp(ns_between(last_begin, first_end) / window, 0.0, 1.0);
  c["fairness_spread"] = (max_rate - min_rate) / (sum_rate / n);
  c["ops_per_iteration"] = spec.ops_per_iteration;
  for (const auto& [name, value] : perf_totals) c[name] = value;
  if (probe_before) c["probe_before_ns"] = *probe_before;
  if (probe_after) c["probe_after_ns"] = *probe_after;
  if (race) {
    c["lost_updates_per_increment"] = race->lost_updates_per_increment;
    c["premature_last_per_op"] = race->premature_last_per_op;
  }

  // Honesty checks: counts that must be exact and drifted, a drop reported while the
  // workload still held the object, or a thread that was not where it was pinned
  // make the run an error, not a figure.
  if (exact && drift != 0) {
    state.SkipWithError(("count not conserved: drift " + std::to_string(drift)).c_str());
  } else if (protocol_errors != 0) {
    state.SkipWithError(
        ("protocol error: " + std::to_string(protocol_errors) + " unexpected last-reference drops")
            .c_str());
  } else if (!misplaced.empty()) {
    state.SkipWithError(("thread not on its PU: " + misplaced.front()).c_str());
  } else if (!memory_error.empty()) {
    state.SkipWithError(memory_error.c_str());
  }
}

namespace {

template <class Probe>
void pingpong_with(benchmark::State& state, Rendezvous& meet) {
  struct PingTeam {
    Probe pp{typename Probe::Shape{1, 100}};
    TeamStatus status;
  };
  const int me = state.thread_index();
  if (me == 0) meet.team = std::make_shared<PingTeam>();
  meet.sync.arrive_and_wait();
  auto team = std::static_pointer_cast<PingTeam>(meet.team);
  RunPin pin(*meet.runtime, meet.spec.pus[static_cast<std::size_t>(me)], team->status);
  meet.sync.arrive_and_wait();  // both pinned, or both give up
  if (team->status.failed()) {
    state.SkipWithError(team->status.error().c_str());
    for (auto _ : state) {
    }
    return;
  }
  // Each iteration is one batch of 100 round trips on both threads, in lockstep;
  // the figure is the minimum over batches of RTT / 2 (one-way), whichever method.
  double best = std::numeric_limits<double>::infinity();
  for (auto _ : state) {
    if (me == 0) {
      if (auto ns = team->pp.run_initiator()) best = std::min(best, *ns);
    } else {
      team->pp.run_responder();
    }
  }
  if (me == 0 && best < std::numeric_limits<double>::infinity()) state.counters["pingpong_ns"] = best;
  // Both ends record the PU they finished on (each name is set by one thread, and Google
  // Benchmark sums a counter over threads): the responder's pin is as much part of the
  // figure as the initiator's, and a thread off its PU makes the row an error.
  const int pu = current_pu_or_minus_one();
  const unsigned planned = meet.spec.pus[static_cast<std::size_t>(me)];
  state.counters["t" + std::to_string(me) + "_pu"] = pu;
  if (pu != static_cast<int>(planned))
    state.SkipWithError(("thread not on its PU: t" + std::to_string(me) + " asked for PU " +
                         std::to_string(planned) + ", ran on " + std::to_string(pu))
                            .c_str());
}

}  // namespace

void pingpong_body(benchmark::State& state, Rendezvous& meet) {
  if (meet.spec.method == PingPongMethod::two_line)
    pingpong_with<TwoLinePingPong>(state, meet);
  else
    pingpong_with<OneLineCasPingPong>(state, meet);
}

}  // namespace rcbench::harness
