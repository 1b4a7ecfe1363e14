// Turns Google Benchmark's bare non-finite tokens into null. Hand-written because
// nlohmann/json has no lenient mode for them and Python's json.loads accepts them
// only in its own (non-standard) spelling; a small scanner that tracks whether it is
// inside a string is all it takes.
#include "run/run_json.hpp"

#include <cctype>

namespace rcbench::runjson {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != static_cast<unsigned char>(b[i]))
      return false;
  }
  return true;
}

bool is_non_finite_word(std::string_view word) {
  return iequals(word, "nan") || iequals(word, "inf") || iequals(word, "infinity");
}

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string sanitize_non_finite(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];  // an escaped character never ends the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    // A word outside a string: true/false/null pass through, NaN/Infinity become null.
    const bool signed_word = (c == '-' || c == '+') && i + 1 < text.size() && is_alpha(text[i + 1]);
    if (is_alpha(c) || signed_word) {
      std::size_t end = i + (signed_word ? 1 : 0);
      while (end < text.size() && is_alpha(text[end])) ++end;
      const std::string_view token = text.substr(i, end - i);
      const std::string_view word = signed_word ? token.substr(1) : token;
      out += is_non_finite_word(word) ? std::string_view("null") : token;
      i = end - 1;
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace rcbench::runjson
