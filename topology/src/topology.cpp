// Topology's factories and simple queries.
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <fstream>
#include <sstream>
#include <utility>

#include "impl.hpp"

namespace rcbench::topo {

Topology::Topology(std::shared_ptr<const TopologyImpl> impl, CpuList allowed)
    : impl_(std::move(impl)), allowed_(std::move(allowed)) {}

namespace {

Topology finish(std::shared_ptr<TopologyImpl> impl) {
  CpuList allowed = discover_allowed(*impl);
  if (allowed.empty()) {
    throw TopologyError(fmt::format(
        "no PU of {} is allowed (the machine has PUs {}; the cgroup cpuset and the affinity "
        "mask leave none)",
        impl->source, impl->machine_pus.to_string()));
  }
  return detail::TopologyAccess::make(std::move(impl), std::move(allowed));
}

// hwloc rejects a bad synthetic description with EINVAL and no detail; name the first
// token whose object type hwloc does not know, which is the usual mistake.
std::string explain_synthetic_error(std::string_view description) {
  std::istringstream tokens{std::string(description)};
  std::string token;
  while (tokens >> token) {
    const std::string type_name = token.substr(0, token.find_first_of(":({"));
    if (type_name.empty() || (type_name[0] >= '0' && type_name[0] <= '9')) continue;
    hwloc_obj_type_t type{};
    if (hwloc_type_sscanf(type_name.c_str(), &type, nullptr, 0) != 0) {
      return fmt::format("unknown object type \"{}\" in \"{}\"", type_name, token);
    }
  }
  return "hwloc rejected it (expected levels such as \"pack:2 numa:2 l3:4 core:4 pu:2\", "
         "outermost first, each with a count)";
}

// Loading is quadratic-ish in PUs: 8,192 PUs take 0.6 s here, 65,536 take 11 s.
constexpr std::uint64_t kMaxSyntheticPus = 16384;

// The product of the level counts ("pack:2 core:4 pu:2" -> 16), saturating; tokens
// without a count (attributes, or what hwloc will reject anyway) count 1.
std::uint64_t synthetic_pu_count(std::string_view description) {
  std::istringstream tokens{std::string(description)};
  std::string token;
  std::uint64_t product = 1;
  while (tokens >> token) {
    const std::size_t colon = token.find(':');
    if (colon == std::string::npos) continue;
    std::uint64_t count = 0;
    for (std::size_t i = colon + 1; i < token.size() && token[i] >= '0' && token[i] <= '9'; ++i)
      count = std::min<std::uint64_t>(count * 10 + static_cast<unsigned>(token[i] - '0'), kMaxSyntheticPus + 1);
    if (count > 0) product = std::min<std::uint64_t>(product * count, kMaxSyntheticPus + 1);
  }
  return product;
}

}  // namespace

Topology Topology::this_system() {
  HwlocTopologyPtr topology = new_hwloc_topology();
  std::string source = "this system";
  // hwloc honours these variables in every program; say so instead of calling an XML
  // "this system".
  if (const char* xml = std::getenv("HWLOC_XMLFILE"); xml != nullptr && *xml != '\0') {
    source = fmt::format("HWLOC_XMLFILE={}", xml);
  } else if (const char* synthetic = std::getenv("HWLOC_SYNTHETIC");
             synthetic != nullptr && *synthetic != '\0') {
    source = fmt::format("HWLOC_SYNTHETIC={}", synthetic);
  }
  return finish(load_impl(std::move(topology), source, "this system's topology"));
}

Topology Topology::from_xml(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    throw TopologyError(fmt::format("topology XML \"{}\" does not exist", path.string()));
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw TopologyError(fmt::format("topology XML \"{}\" is not a file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    throw TopologyError(
        fmt::format("topology XML \"{}\" cannot be read: {}", path.string(), std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  // One message whichever XML reader hwloc has (xml_shape.cpp): from our own check,
  // from set_xml (libxml2 reader) or from load (hwloc's minimal reader).
  auto invalid = [&path](std::string_view why) {
    return fmt::format("\"{}\" is not a valid hwloc XML topology: {} (hwloc {} reads XML format "
                       "2.x; set HWLOC_XML_VERBOSE=1 for the parser's details)",
                       path.string(), why, HWLOC_VERSION);
  };
  // hwloc reads the very bytes that were checked: one read, no window for the file to change.
  const std::string xml = text.str();
  if (const auto problem = xml_shape_problem(xml)) throw TopologyError(invalid(*problem));
  if (xml.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw TopologyError(invalid("larger than hwloc can read from memory"));
  HwlocTopologyPtr topology = new_hwloc_topology();
  // The size hwloc expects counts the terminating NUL (as its export reports it).
  if (hwloc_topology_set_xmlbuffer(topology.get(), xml.c_str(), static_cast<int>(xml.size() + 1)) != 0)
    throw TopologyError(invalid("hwloc's XML reader rejected it"));
  return finish(load_impl(std::move(topology), path.string(),
                          fmt::format("topology XML \"{}\"", path.string()),
                          invalid("hwloc's XML reader rejected it")));
}

Topology Topology::from_synthetic(std::string_view description) {
  const std::string text(description);
  if (text.find_first_not_of(" \t") == std::string::npos)
    throw TopologyError("invalid synthetic topology \"\": empty description (expected levels such as "
                        "\"pack:2 numa:2 l3:4 core:4 pu:2\")");
  // hwloc builds every object of a synthetic machine: a billion PUs never finish. The
  // largest machines rcbench plans for have a few thousand.
  if (synthetic_pu_count(text) > kMaxSyntheticPus)
    throw TopologyError(fmt::format("synthetic topology \"{}\" has more than {} PUs, the most rcbench "
                                    "supports", text, kMaxSyntheticPus));
  HwlocTopologyPtr topology = new_hwloc_topology();
  if (hwloc_topology_set_synthetic(topology.get(), text.c_str()) != 0) {
    throw TopologyError(
        fmt::format("invalid synthetic topology \"{}\": {}", text, explain_synthetic_error(text)));
  }
  return finish(load_impl(std::move(topology), fmt::format("synthetic: {}", text),
                          fmt::format("synthetic topology \"{}\"", text)));
}

Topology Topology::restrict_to(const CpuList& pus) const {
  CpuList allowed = allowed_.intersect(pus);
  if (allowed.empty()) {
    throw TopologyError(fmt::format("none of the PUs {} is allowed (allowed PUs: {})",
                                    pus.to_string(), allowed_.to_string()));
  }
  return Topology(impl_, std::move(allowed));
}

bool Topology::is_this_system() const { return impl_->this_system; }

std::string Topology::source() const { return impl_->source; }

std::string Topology::export_xml() const {
  char* buffer = nullptr;
  int length = 0;
  if (hwloc_topology_export_xmlbuffer(impl_->topology.get(), &buffer, &length, 0) != 0 ||
      buffer == nullptr) {
    throw TopologyError(
        fmt::format("hwloc could not export {} as XML: {}", impl_->source, std::strerror(errno)));
  }
  // The length hwloc reports includes the terminating NUL.
  std::string xml(buffer, length > 0 ? static_cast<std::size_t>(length - 1) : 0);
  hwloc_free_xmlbuffer(impl_->topology.get(), buffer);
  return xml;
}

std::optional<unsigned> Topology::numa_node_of_pu(unsigned pu) const {
  hwloc_const_nodeset_t nodeset = impl_->at(pu).object->nodeset;
  if (nodeset == nullptr || hwloc_bitmap_weight(nodeset) != 1) return std::nullopt;
  return static_cast<unsigned>(hwloc_bitmap_first(nodeset));
}

}  // namespace rcbench::topo
