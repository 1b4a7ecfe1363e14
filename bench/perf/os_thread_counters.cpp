#include "os_thread_counters.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <charconv>

namespace rcbench::perf {

long long thread_ctx_switches_from_getrusage() {
  rusage usage{};
  if (getrusage(RUSAGE_THREAD, &usage) != 0) return 0;
  return static_cast<long long>(usage.ru_nvcsw) + static_cast<long long>(usage.ru_nivcsw);
}

std::optional<long long> parse_sched_migrations(std::string_view text) {
  constexpr std::string_view key = "se.nr_migrations";
  std::size_t pos = 0;
  while ((pos = text.find(key, pos)) != std::string_view::npos) {
    const bool line_start = pos == 0 || text[pos - 1] == '\n';
    pos += key.size();
    if (!line_start || pos >= text.size() || (text[pos] != ' ' && text[pos] != ':')) continue;
    const auto colon = text.find(':', pos);
    if (colon == std::string_view::npos) return std::nullopt;
    const auto digits = text.find_first_not_of(' ', colon + 1);
    if (digits == std::string_view::npos) return std::nullopt;
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data() + digits, text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data() + digits) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

std::optional<long long> thread_migrations_from_proc() {
  // Plain open/read into a stack buffer: no allocation, and the file is ~1.5 KB.
  const int fd = ::open("/proc/thread-self/sched", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::array<char, 8192> buffer{};
  std::size_t filled = 0;
  while (filled < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + filled, buffer.size() - filled);
    if (n <= 0) break;
    filled += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return parse_sched_migrations(std::string_view(buffer.data(), filled));
}

}  // namespace rcbench::perf
