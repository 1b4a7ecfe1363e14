#include "event_list.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace rcbench::perf {

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

bool allowed_in_name(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("_:.=-+/@").find(c) != std::string_view::npos;
}

}  // namespace

void check_event_name_syntax(std::string_view name, std::string_view where) {
  if (name.empty()) throw std::invalid_argument(std::string(where) + ": empty event name");
  for (char c : name) {
    if (!allowed_in_name(c)) {
      const bool printable = std::isprint(static_cast<unsigned char>(c)) != 0;
      throw std::invalid_argument(
          std::string(where) + ": '" + std::string(name) + "' is not an event name (" +
          (printable ? "character '" + std::string(1, c) + "'" : "a non-printable character") +
          " is not allowed; names look like PAPI_L1_DCM, RETIRED_LOCK_INSTRUCTIONS or "
          "perf::CONTEXT-SWITCHES)");
    }
  }
}

std::vector<std::string> parse_event_list(std::string_view text, std::string_view origin) {
  if (trim(text).empty())
    throw std::invalid_argument(std::string(origin) +
                                ": empty event list (name at least one event, or `defaults`)");
  std::vector<std::string> names;
  std::size_t position = 1;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    if (item.empty())
      throw std::invalid_argument(std::string(origin) + ": event " + std::to_string(position) +
                                  " of the comma-separated list is empty");
    check_event_name_syntax(item, origin);
    names.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    ++position;
  }
  return names;
}

std::vector<std::string> parse_event_file(std::istream& in, std::string_view origin) {
  std::vector<std::string> names;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string_view content = line;
    if (const auto hash = content.find('#'); hash != std::string_view::npos)
      content = content.substr(0, hash);
    content = trim(content);
    if (content.empty()) continue;
    const std::string where = std::string(origin) + ":" + std::to_string(number);
    if (content.find_first_of(" \t,") != std::string_view::npos)
      throw std::invalid_argument(where + ": '" + std::string(content) +
                                  "' is not one event name (the file takes one event per "
                                  "line; '#' starts a comment)");
    check_event_name_syntax(content, where);
    names.emplace_back(content);
  }
  if (in.bad()) throw std::invalid_argument(std::string(origin) + ": read error");
  if (names.empty())
    throw std::invalid_argument(std::string(origin) +
                                ": the file names no events (one event per line, '#' starts "
                                "a comment)");
  return names;
}

std::vector<std::string> read_event_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw std::invalid_argument("event file " + file.string() + ": is a directory");
  std::ifstream in(file);
  if (!in)
    throw std::invalid_argument("event file " + file.string() +
                                ": cannot be read: " + std::strerror(errno));
  return parse_event_file(in, file.string());
}

}  // namespace rcbench::perf
