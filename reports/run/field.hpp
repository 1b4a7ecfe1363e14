// Reading a parsed run JSON field by field (internal to reports/run). Every refusal is an
// InputError that names the field by its JSON pointer ("/benchmarks/3/real_time") and
// says why, so a bad file can be fixed from the message alone. Types are checked before
// any get<>: nlohmann's own exceptions (type_error, out_of_range) would otherwise reach
// the CLI as runtime errors (exit 4) instead of input errors (exit 2).
#pragma once

#include "run/run_json.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rcbench::runjson::detail {

using nlohmann::json;

// The run format nests 6 levels deep (rcbench.calibration.pingpong_matrix.one_way_ns[i][j]).
// nlohmann parses iteratively but copies, compares and dumps a value recursively, so a
// file nested thousands deep would end on the stack's guard page, not in a message.
inline constexpr std::size_t kMaxDepth = 64;

// Parses strict JSON, or Google Benchmark's JSON with bare NaN/Infinity (read as null).
// Refuses, with the pointer of the field: syntax errors, a number that overflows a
// double (1e9999: nlohmann throws out_of_range 406 for it) and nesting deeper than kMaxDepth.
json parse_document(std::string_view text, std::string_view source);

// "the string \"x\"", "the number 5", "an object", ...: a short description of a value
// for messages (never a dump of a whole object, which may be large).
std::string describe(const json& value);

// One field of the document: its value (or none: absent) and its pointer.
class Field {
 public:
  Field(const json& root, std::string_view source);

  // A member or an element; absent when this is absent, not an object/array, or lacks it.
  Field operator[](std::string_view key) const;
  Field operator[](std::size_t index) const;

  bool present() const { return value_ != nullptr; }
  bool present_non_null() const { return value_ != nullptr && !value_->is_null(); }
  const json& value() const { return *value_; }  // only when present()
  std::string pointer() const { return pointer_.to_string(); }
  std::string_view source() const { return source_; }

  // InputError "<source>: <pointer>: <why>".
  [[noreturn]] void fail(std::string_view why) const;

  // Absent -> nullopt (or nullptr). Present with another type (null included) or out of
  // range -> fail(). Numbers must be finite.
  std::optional<std::string> string() const;
  std::optional<bool> boolean() const;
  std::optional<double> number() const;
  std::optional<long long> integer(long long min, long long max) const;
  const json* object() const;
  const json* array() const;

 private:
  Field(const json* value, json::json_pointer pointer, std::string_view source);
  [[noreturn]] void wrong_type(std::string_view expected) const;

  const json* value_;
  json::json_pointer pointer_;
  std::string_view source_;
};

// Checks the "context" and "rcbench" objects: the types (and ranges) of every field that
// report and compare read from them. The rules are a table in rcbench_section.cpp.
void check_context(const Field& context);
void check_rcbench(const Field& rcbench);

}  // namespace rcbench::runjson::detail
