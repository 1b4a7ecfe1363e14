// parse_document (field.hpp): strict parsing with every refusal located by JSON pointer.
//
// A first pass with nlohmann's SAX interface builds nothing; it follows the path to the
// current value, so that a syntax error, a number that overflows a double (1e9999) or
// too deep a nesting is reported as "/benchmarks/3/real_time: ..." rather than as a byte
// offset or a raw library exception. Only text that passed is parsed into a DOM.
#include "run/field.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace rcbench::runjson::detail {
namespace {

std::size_t line_of(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

struct Problem {
  bool syntax;          // the text is not JSON (else: JSON, but not a value we can hold)
  std::string pointer;  // where the parser was
  std::size_t byte = 0;
  std::string what;     // why, in words
};

// The SAX handler: a stack of containers with the key or index being read.
class PathTracker {
 public:
  std::optional<Problem> problem;

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(json::number_integer_t) { return value(); }
  bool number_unsigned(json::number_unsigned_t) { return value(); }
  bool number_float(json::number_float_t, const json::string_t&) { return value(); }
  bool string(json::string_t&) { return value(); }
  bool binary(json::binary_t&) { return value(); }
  bool start_object(std::size_t) { return open(false); }
  bool start_array(std::size_t) { return open(true); }
  bool key(json::string_t& k) {
    frames_.back().key = k;
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t byte, const std::string& token, const nlohmann::detail::exception& e) {
    // 406 is nlohmann's "number overflow": a literal beyond the range of a double.
    const bool overflow = dynamic_cast<const json::out_of_range*>(&e) != nullptr && e.id == 406;
    problem = overflow ? Problem{false, pointer_of_next(), byte,
                                 fmt::format("the number {} is out of range (not a finite double)", token)}
                       : Problem{true, pointer_of_next(), byte, e.what()};
    return false;
  }

 private:
  struct Frame {
    bool array;
    std::size_t next_index = 0;  // arrays: the index the next value gets
    std::string key;             // objects: the key of the value being read
  };

  // The pointer of the value being read now (the parser fails before reporting it).
  std::string pointer_of_next() const {
    json::json_pointer p;
    for (const Frame& f : frames_) p = f.array ? p / f.next_index : p / f.key;
    return p.empty() ? "/" : p.to_string();
  }
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().next_index;
    return true;
  }
  bool open(bool array) {
    if (frames_.size() >= kMaxDepth) {
      problem = Problem{false, pointer_of_next(), 0,
                        fmt::format("nested deeper than {} levels (a run JSON is not)", kMaxDepth)};
      return false;
    }
    frames_.push_back({array, 0, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return value();  // the container just closed was a value of its parent
  }

  std::vector<Frame> frames_;
};

std::optional<Problem> scan(std::string_view text) {
  PathTracker tracker;
  if (json::sax_parse(text, &tracker) || !tracker.problem) return std::nullopt;
  return tracker.problem;
}

std::string message(std::string_view source, std::string_view text, const Problem& p, std::string_view note) {
  if (p.syntax)
    return fmt::format("{}: not valid JSON at byte {} (line {}), near {}{}: {}", source, p.byte,
                       line_of(text, p.byte), p.pointer, note, p.what);
  const std::string line = p.byte > 0 ? fmt::format(" (line {})", line_of(text, p.byte)) : "";
  return fmt::format("{}: {}: {}{}{}", source, p.pointer, p.what, line, note);
}

}  // namespace

json parse_document(std::string_view text, std::string_view source) {
  std::optional<Problem> problem = scan(text);
  if (!problem) return json::parse(text);  // the scan accepted the same grammar
  const std::string sanitized = sanitize_non_finite(text);
  if (sanitized == text) throw InputError(message(source, text, *problem, ""));
  // Replacing NaN/Infinity shifts bytes but neither lines nor pointers.
  if (std::optional<Problem> again = scan(sanitized))
    throw InputError(message(source, sanitized, *again, " (even after reading NaN/Infinity as null)"));
  return json::parse(sanitized);
}

}  // namespace rcbench::runjson::detail
