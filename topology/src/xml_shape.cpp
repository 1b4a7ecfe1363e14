// A shape check of a topology XML before hwloc reads it. hwloc 2.9 has two XML
// readers: libxml2's (package libhwloc-plugins) rejects a malformed file already at
// hwloc_topology_set_xml, while the built-in minimal reader accepts any file there
// and fails only at load with EINVAL. Checking the root element ourselves gives the
// same clear message whichever reader the machine has; anything subtler that hwloc
// rejects at load is mapped to the same message by the caller.
#include <fmt/format.h>

#include "impl.hpp"

namespace rcbench::topo {
namespace {

constexpr std::string_view kBlank = " \t\r\n";

// Skips blanks, the XML declaration, a DOCTYPE and comments: what may precede the
// root element. Returns the offset of the root element's '<', or npos.
std::size_t root_element_offset(std::string_view text) {
  std::size_t at = 0;
  if (text.starts_with("\xEF\xBB\xBF")) at = 3;  // UTF-8 byte order mark
  while (true) {
    at = text.find_first_not_of(kBlank, at);
    if (at == std::string_view::npos || text[at] != '<') return std::string_view::npos;
    const std::string_view rest = text.substr(at);
    std::string_view close;
    if (rest.starts_with("<?")) {
      close = "?>";
    } else if (rest.starts_with("<!--")) {
      close = "-->";
    } else if (rest.starts_with("<!")) {
      close = ">";
    } else {
      return at;
    }
    const std::size_t end = text.find(close, at + 2);
    if (end == std::string_view::npos) return std::string_view::npos;
    at = end + close.size();
  }
}

}  // namespace

std::optional<std::string> xml_shape_problem(std::string_view text) {
  if (text.find_first_not_of(kBlank) == std::string_view::npos) return "the file is empty";
  const std::size_t root = root_element_offset(text);
  if (root == std::string_view::npos) return "it does not start with an XML element";
  const std::string_view element = text.substr(root + 1);
  const std::string_view name = element.substr(0, element.find_first_of(" \t\r\n/>"));
  if (name != "topology")
    return fmt::format("its root element is <{}>, not <topology>", name.substr(0, 40));
  const std::string_view trimmed = text.substr(0, text.find_last_not_of(kBlank) + 1);
  if (!trimmed.ends_with("</topology>")) return "it ends before </topology> (truncated?)";
  return std::nullopt;
}

}  // namespace rcbench::topo
