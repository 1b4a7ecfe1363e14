// The OS's own per-thread counts: the fallback when PAPI cannot count the software
// events (no PAPI, or no privilege to count kernel-side events: root or
// perf_event_paranoid <= 1). Both are cumulative since the thread began; callers
// take differences around the timed region.
#pragma once

#include <optional>
#include <string_view>

namespace rcbench::perf {

// getrusage(RUSAGE_THREAD): voluntary + involuntary context switches. ~0.3 us.
long long thread_ctx_switches_from_getrusage();

// se.nr_migrations from /proc/thread-self/sched (needs a kernel with
// CONFIG_SCHED_DEBUG); empty when the file or the line is missing. ~12 us.
std::optional<long long> thread_migrations_from_proc();

// Parses the text of a /proc/<pid>/task/<tid>/sched file.
std::optional<long long> parse_sched_migrations(std::string_view sched_text);

inline constexpr const char* kGetrusageSource = "getrusage";
inline constexpr const char* kProcSchedSource = "/proc/thread-self/sched";

}  // namespace rcbench::perf
