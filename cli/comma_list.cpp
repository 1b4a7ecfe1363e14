#include "comma_list.hpp"

#include "commands.hpp"

#include <fmt/core.h>

namespace rcbench::cli {

std::vector<std::string> split_comma_list(std::string_view what, std::string_view value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = std::min(value.find(',', start), value.size());
    const std::string_view item = value.substr(start, comma - start);
    if (item.empty())
      throw CommandExit(kUsageError, fmt::format("{} '{}': empty item in the comma list", what, value));
    if (item.starts_with("-"))
      throw CommandExit(kUsageError, fmt::format("{} '{}': expected a name, not a flag", what, item));
    items.emplace_back(item);
    if (comma == value.size()) return items;
    start = comma + 1;
  }
}

std::vector<std::string> split_comma_lists(std::string_view what, const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const std::string& value : values)
    for (std::string& item : split_comma_list(what, value)) items.push_back(std::move(item));
  return items;
}

}  // namespace rcbench::cli
