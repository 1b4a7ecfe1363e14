// Names of decorated strategies, made at compile time: a GIL around `plain` is
// the baseline and keeps the short name (`gil_lock`); around anything else the
// inner name is appended (`gil_lock_biased`), so no two rows share a name.
#pragma once

#include "plain.hpp"

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace rcbench::counters {

template <const std::string_view& Prefix, const std::string_view& Suffix>
class JoinedName {
  static constexpr auto storage_ = [] {
    std::array<char, Prefix.size() + 1 + Suffix.size()> out{};
    std::size_t i = 0;
    for (const char c : Prefix) out[i++] = c;
    out[i++] = '_';
    for (const char c : Suffix) out[i++] = c;
    return out;
  }();

 public:
  static constexpr std::string_view value{storage_.data(), storage_.size()};
};

template <const std::string_view& Prefix, class Inner>
inline constexpr std::string_view decorated_name =
    std::is_same_v<Inner, Plain> ? Prefix : JoinedName<Prefix, Inner::name>::value;

}  // namespace rcbench::counters
