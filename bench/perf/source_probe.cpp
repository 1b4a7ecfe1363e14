#include "source_probe.hpp"

#include <sched.h>

#include <chrono>
#include <optional>
#include <thread>

#include "machine_facts.hpp"
#include "os_thread_counters.hpp"
#include "papi_backend.hpp"

namespace rcbench::perf {

namespace {

// Runs `work` on a fresh thread that hands its PAPI state back before it ends.
template <class Work>
void on_helper_thread(Work&& work) {
  std::thread helper([&] {
    work();
    Papi::forget_this_thread();
  });
  helper.join();
}

// Moves the calling thread to another allowed PU. Returns a note when it cannot.
std::string force_one_migration(bool& forced) {
  forced = false;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return "sched_getaffinity failed";
  const int here = sched_getcpu();
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (cpu == here || !CPU_ISSET(cpu, &allowed)) continue;
    cpu_set_t there;
    CPU_ZERO(&there);
    CPU_SET(cpu, &there);
    // Narrowing the mask to a PU we are not on makes the kernel move us before the
    // call returns: exactly one migration.
    if (sched_setaffinity(0, sizeof there, &there) == 0 && sched_getcpu() == cpu) {
      forced = true;
      sched_setaffinity(0, sizeof allowed, &allowed);
      return {};
    }
  }
  sched_setaffinity(0, sizeof allowed, &allowed);
  return "only one PU is allowed to this process: migration counting could not be verified";
}

std::string privilege_text() {
  const std::optional<int> paranoid = perf_event_paranoid();
  return std::string("they need PAPI_DOM_ALL and root or perf_event_paranoid <= 1; here: ") +
         (running_as_root() ? "root" : "not root") + ", perf_event_paranoid " +
         (paranoid ? std::to_string(*paranoid) : std::string("missing"));
}

std::string describe(int error) {
  return Papi::error_name(error) + " (" + Papi::error_text(error) + ")";
}

SoftwareProbe run_software_probe() {
  SoftwareProbe p;
  on_helper_thread([&] {
    const Papi::Library& lib = Papi::library();
    Papi::EventSet set;
    int started = Papi::kNotBuiltIn;
    int add_ctx = Papi::kNotBuiltIn, add_migr = Papi::kNotBuiltIn;
    if (lib.usable) {
      int rc = Papi::lookup("perf::CONTEXT-SWITCHES", p.papi_ctx_switches_code);
      if (rc == 0) rc = Papi::lookup("perf::CPU-MIGRATIONS", p.papi_migrations_code);
      if (rc == 0) rc = set.create(false);
      if (rc == 0) add_ctx = set.add(p.papi_ctx_switches_code);
      if (rc == 0) add_migr = set.add(p.papi_migrations_code);
      if (rc != 0) add_ctx = add_migr = rc;
      if (set.size() > 0) started = set.start();
    }
    const long long rusage_before = thread_ctx_switches_from_getrusage();
    const std::optional<long long> proc_before = thread_migrations_from_proc();

    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // must switch us out
    const std::string migration_note = force_one_migration(p.migration_forced);

    const std::optional<long long> proc_after = thread_migrations_from_proc();
    const long long rusage_after = thread_ctx_switches_from_getrusage();
    long long values[2] = {0, 0};
    const int stopped = started == 0 ? set.stop(values) : started;

    // Which PAPI value is which: the adds that succeeded, in order.
    long long papi_ctx = -1, papi_migr = -1;
    int slot = 0;
    if (add_ctx == 0) papi_ctx = values[slot++];
    if (add_migr == 0) papi_migr = values[slot];

    if (!lib.usable) {
      p.papi_ctx_switches_problem = p.papi_migrations_problem = lib.problem;
    } else if (add_ctx != 0) {
      p.papi_ctx_switches_problem =
          "perf::CONTEXT-SWITCHES could not be added: " + describe(add_ctx);
    } else if (stopped != 0) {
      p.papi_ctx_switches_problem =
          "PAPI could not count perf::CONTEXT-SWITCHES: " + describe(stopped);
    } else if (papi_ctx <= 0) {
      p.papi_ctx_switches_problem =
          "perf::CONTEXT-SWITCHES read 0 across a 2 ms sleep: kernel-side events are not "
          "counted (" +
          (lib.domain_problem.empty() ? privilege_text() : lib.domain_problem) + ")";
    } else {
      p.papi_ctx_switches = true;
    }
    if (lib.usable && p.papi_migrations_problem.empty()) {
      if (add_migr != 0) {
        p.papi_migrations_problem =
            "perf::CPU-MIGRATIONS could not be added: " + describe(add_migr);
      } else if (stopped != 0) {
        p.papi_migrations_problem =
            "PAPI could not count perf::CPU-MIGRATIONS: " + describe(stopped);
      } else if (p.migration_forced && papi_migr <= 0) {
        p.papi_migrations_problem =
            "perf::CPU-MIGRATIONS read 0 although the probe thread was moved to another PU";
      } else if (!p.migration_forced && !p.papi_ctx_switches) {
        p.papi_migrations_problem =
            "not verified (one PU allowed) and context switches from the same source read 0";
      } else {
        p.papi_migrations = true;
      }
    }

    if (!proc_before || !proc_after) {
      p.proc_migrations_problem =
          "/proc/thread-self/sched has no se.nr_migrations (kernel without CONFIG_SCHED_DEBUG?)";
    } else if (p.migration_forced && *proc_after <= *proc_before) {
      p.proc_migrations_problem = "se.nr_migrations did not count a forced migration";
    } else {
      p.proc_migrations = true;
    }

    p.notes = "probe: 2 ms sleep and " +
              std::string(p.migration_forced ? "one forced migration" : "no migration") +
              "; PAPI saw " + (papi_ctx >= 0 ? std::to_string(papi_ctx) : "-") + " switches and " +
              (papi_migr >= 0 ? std::to_string(papi_migr) : "-") + " migrations; getrusage saw " +
              std::to_string(rusage_after - rusage_before) + " switches; /proc saw " +
              (proc_before && proc_after ? std::to_string(*proc_after - *proc_before) : "-") +
              " migrations" + (migration_note.empty() ? "" : "; " + migration_note);
  });
  return p;
}

// Adds, starts and stops; returns the first error. The values are not needed.
int try_count(Papi::EventSet& set) {
  if (const int rc = set.start(); rc != 0) return rc;
  std::vector<long long> values(static_cast<std::size_t>(set.size()) + 1);
  return set.stop(values.data());
}

}  // namespace

const SoftwareProbe& software_probe() {
  static const SoftwareProbe probe = run_software_probe();
  return probe;
}

HardwareFit probe_hardware(const std::vector<int>& always_codes,
                           const std::vector<int>& candidates) {
  HardwareFit fit;
  fit.alone.assign(candidates.size(), 0);
  fit.together.assign(candidates.size(), 0);
  if (candidates.empty()) return fit;
  on_helper_thread([&] {
    Papi::EventSet set;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      int rc = set.create(false);
      if (rc == 0) rc = set.add(candidates[i]);
      if (rc == 0) rc = try_count(set);
      set.destroy();
      fit.alone[i] = rc;
      fit.together[i] = rc;
    }
    // All that count alone, in one set, in the order asked: earlier events win.
    const auto fill = [&](bool multiplex) -> int {
      if (const int rc = set.create(multiplex); rc != 0) return rc;
      for (int code : always_codes) set.add(code);
      bool any = false;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (fit.alone[i] != 0) continue;
        fit.together[i] = set.add(candidates[i]);
        any = any || fit.together[i] == 0;
      }
      // Some PMUs only find out at start that the set does not fit.
      if (const int rc = any ? try_count(set) : 0; rc != 0) {
        for (std::size_t i = 0; i < candidates.size(); ++i)
          if (fit.alone[i] == 0) fit.together[i] = rc;
      }
      set.destroy();
      return 0;
    };
    const auto fitting = [&] {
      std::size_t n = 0;
      for (int rc : fit.together) n += rc == 0 ? 1 : 0;
      return n;
    };
    fill(false);
    bool misfits = false;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      misfits = misfits || (fit.alone[i] == 0 && fit.together[i] != 0);
    if (!misfits) return;
    const std::vector<int> unmultiplexed = fit.together;
    const std::size_t fitted_unmultiplexed = fitting();
    if (const int rc = fill(true); rc != 0) {
      fit.multiplex_error = rc;
      fit.together = unmultiplexed;
      return;
    }
    if (fitting() <= fitted_unmultiplexed) {
      // Multiplexing bought nothing: keep the exact counts, say why.
      for (std::size_t i = 0; i < candidates.size() && fit.multiplex_error == 0; ++i)
        if (fit.alone[i] == 0 && fit.together[i] != 0) fit.multiplex_error = fit.together[i];
      fit.together = unmultiplexed;
      return;
    }
    fit.multiplexed = true;
  });
  return fit;
}

}  // namespace rcbench::perf
