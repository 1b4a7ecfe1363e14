// Field: typed, pointer-named reads of a parsed run JSON (see field.hpp).
#include "run/field.hpp"

#include <fmt/core.h>

#include <cmath>

namespace rcbench::runjson::detail {
namespace {

// Scalars are short enough to quote; a string is cut so one bad field cannot flood the
// terminal (messages are one line).
constexpr std::size_t kQuotedChars = 40;

}  // namespace

std::string describe(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return fmt::format("the boolean {}", value.get<bool>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return fmt::format("the number {}", value.dump());
    case json::value_t::string: {
      const std::string& s = value.get_ref<const std::string&>();
      return s.size() <= kQuotedChars ? fmt::format("the string {}", value.dump())
                                      : fmt::format("a string of {} characters", s.size());
    }
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::binary:
    case json::value_t::discarded: break;
  }
  return "an unexpected value";
}

Field::Field(const json& root, std::string_view source) : value_(&root), source_(source) {}

Field::Field(const json* value, json::json_pointer pointer, std::string_view source)
    : value_(value), pointer_(std::move(pointer)), source_(source) {}

Field Field::operator[](std::string_view key) const {
  const json* child = nullptr;
  if (value_ != nullptr && value_->is_object()) {
    if (const auto it = value_->find(key); it != value_->end()) child = &*it;
  }
  return Field(child, pointer_ / std::string(key), source_);
}

Field Field::operator[](std::size_t index) const {
  const json* child = value_ != nullptr && value_->is_array() && index < value_->size() ? &(*value_)[index] : nullptr;
  return Field(child, pointer_ / index, source_);
}

void Field::fail(std::string_view why) const {
  throw InputError(fmt::format("{}: {}: {}", source_, pointer_.empty() ? "/" : pointer(), why));
}

void Field::wrong_type(std::string_view expected) const {
  fail(fmt::format("expected {}, got {}", expected, describe(*value_)));
}

std::optional<std::string> Field::string() const {
  if (!present()) return std::nullopt;
  if (!value_->is_string()) wrong_type("a string");
  return value_->get<std::string>();
}

std::optional<bool> Field::boolean() const {
  if (!present()) return std::nullopt;
  if (!value_->is_boolean()) wrong_type("true or false");
  return value_->get<bool>();
}

std::optional<double> Field::number() const {
  if (!present()) return std::nullopt;
  if (!value_->is_number()) wrong_type("a number");
  const double v = value_->get<double>();
  // The parser refuses overflowing literals, but a Run can also be built in memory.
  if (!std::isfinite(v)) fail(fmt::format("{} is not a finite number", value_->dump()));
  return v;
}

std::optional<long long> Field::integer(long long min, long long max) const {
  if (!present()) return std::nullopt;
  // 1.0 or 4e3 are integers in JSON's number model; only the value matters.
  const auto in_range = [&](long double v) { return v >= static_cast<long double>(min) && v <= static_cast<long double>(max); };
  long long v = 0;
  if (value_->is_number_unsigned()) {
    const auto u = value_->get<json::number_unsigned_t>();
    if (!in_range(static_cast<long double>(u))) fail(fmt::format("{} is out of range [{}, {}]", u, min, max));
    v = static_cast<long long>(u);
  } else if (value_->is_number_integer()) {
    v = value_->get<long long>();
  } else if (value_->is_number_float()) {
    const double d = value_->get<double>();
    // Range first: converting an out-of-range double to an integer is undefined.
    if (!std::isfinite(d) || !in_range(d)) fail(fmt::format("{} is out of range [{}, {}]", value_->dump(), min, max));
    if (d != std::trunc(d)) fail(fmt::format("{} is not an integer", value_->dump()));
    v = static_cast<long long>(d);
  } else {
    wrong_type("an integer");
  }
  if (v < min || v > max) fail(fmt::format("{} is out of range [{}, {}]", v, min, max));
  return v;
}

const json* Field::object() const {
  if (!present()) return nullptr;
  if (!value_->is_object()) wrong_type("an object");
  return value_;
}

const json* Field::array() const {
  if (!present()) return nullptr;
  if (!value_->is_array()) wrong_type("an array");
  return value_;
}

}  // namespace rcbench::runjson::detail
