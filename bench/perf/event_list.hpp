// The three ways a user names events, turned into a list of names. Syntax only:
// whether PAPI knows a name is EventSelection's business.
//   --events a,b,c / RCBENCH_EVENTS="a,b,c"   comma-separated
//   --events-file F                           one event per line, '#' starts a comment
// The word `defaults` in a list stands for the default events of this machine.
// Every error is std::invalid_argument with a message that says where and what.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace rcbench::perf {

inline constexpr std::string_view kDefaultsKeyword = "defaults";
inline constexpr const char* kEventsEnvironmentVariable = "RCBENCH_EVENTS";

// `origin` names the source in messages, e.g. "--events" or "RCBENCH_EVENTS".
std::vector<std::string> parse_event_list(std::string_view comma_separated,
                                          std::string_view origin);

std::vector<std::string> parse_event_file(std::istream& in, std::string_view origin);
std::vector<std::string> read_event_file(const std::filesystem::path& file);

// Throws unless `name` looks like an event name (PAPI preset, libpfm native name with
// qualifiers, perf::NAME): letters, digits and _ : . = - + / @.
void check_event_name_syntax(std::string_view name, std::string_view where);

}  // namespace rcbench::perf
