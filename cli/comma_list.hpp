// "a,b,c" on the command line, for every flag that takes a list (run's --strategies,
// --workloads, --events; compare's BASE and CANDIDATE). An empty item ("a,,b", "a,")
// or an item that is really a flag ("--events --list") is a mistake to name with exit 2,
// never one to drop silently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rcbench::cli {

// Throws CommandExit(kUsageError) naming `what` (the flag or argument) and the value.
std::vector<std::string> split_comma_list(std::string_view what, std::string_view value);
// Every value of a repeated flag, each split.
std::vector<std::string> split_comma_lists(std::string_view what, const std::vector<std::string>& values);

}  // namespace rcbench::cli
