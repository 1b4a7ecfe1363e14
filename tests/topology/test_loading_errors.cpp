// Loading machines: clear errors for bad input, and XML export that loads back.
#include <gtest/gtest.h>

#include <fstream>
#include <rcbench/topology/topology.hpp>
#include <sstream>
#include <string>

#include "topology_files.hpp"

namespace rcbench::topo {
namespace {

std::filesystem::path write_file(const std::string& name, const std::string& content) {
  const std::filesystem::path path = testing::temp_path(name);
  std::ofstream(path) << content;
  return path;
}

std::string read_file(const std::filesystem::path& path) {
  std::ostringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

template <typename Load>
std::string load_error(Load load) {
  try {
    load();
  } catch (const TopologyError& error) {
    return error.what();
  }
  return "(no error)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(LoadXml, MissingFile) {
  const std::string error = load_error([] { Topology::from_xml("/nonexistent/machine.xml"); });
  EXPECT_TRUE(contains(error, "\"/nonexistent/machine.xml\" does not exist")) << error;
}

TEST(LoadXml, Directory) {
  const std::string error = load_error([] { Topology::from_xml(testing::data_dir()); });
  EXPECT_TRUE(contains(error, "is not a file")) << error;
}

TEST(LoadXml, NotXml) {
  const auto path = write_file("not-xml.xml", "this is not a topology\n");
  const std::string error = load_error([&] { Topology::from_xml(path); });
  EXPECT_TRUE(contains(error, "is not a valid hwloc XML topology: it does not start")) << error;
}

TEST(LoadXml, TruncatedXml) {
  const std::string xml = read_file(testing::xml_path("nvidia-dgx-gb10.xml"));
  const auto path = write_file("truncated.xml", xml.substr(0, xml.size() / 2));
  const std::string error = load_error([&] { Topology::from_xml(path); });
  EXPECT_TRUE(contains(error, "is not a valid hwloc XML topology: it ends before </topology>"))
      << error;
}

// Passes our shape check (root <topology>, closed) but is not a topology: the
// failure comes from hwloc's reader (libxml2's at set_xml, the minimal one at load)
// and must read the same either way.
TEST(LoadXml, WellFormedButNotATopology) {
  const auto path = write_file("no-cpuset.xml",
                               "<?xml version=\"1.0\"?>\n<topology version=\"2.0\">"
                               "<object type=\"Machine\"></topology>\n");
  const std::string error = load_error([&] { Topology::from_xml(path); });
  EXPECT_TRUE(contains(error, "is not a valid hwloc XML topology: hwloc's XML reader rejected it"))
      << error;
}

TEST(LoadXml, OtherRootElement) {
  const auto path = write_file("html.xml", "<!-- a page -->\n<html><body/></html>\n");
  const std::string error = load_error([&] { Topology::from_xml(path); });
  EXPECT_TRUE(contains(error, "its root element is <html>, not <topology>")) << error;
}

TEST(LoadXml, EmptyFile) {
  const auto path = write_file("empty.xml", "");
  const std::string error = load_error([&] { Topology::from_xml(path); });
  EXPECT_TRUE(contains(error, "the file is empty")) << error;
}

TEST(LoadXml, NoAllowedPu) {
  std::string xml = read_file(testing::xml_path("nvidia-dgx-gb10.xml"));
  const std::string allowed = "allowed_cpuset=\"0x000fffff\"";
  ASSERT_TRUE(contains(xml, allowed));
  xml.replace(xml.find(allowed), allowed.size(), "allowed_cpuset=\"0x0\"");
  const auto path = write_file("nothing-allowed.xml", xml);
  const std::string error = load_error([&] { Topology::from_xml(path); });
  EXPECT_TRUE(contains(error, "no PU of")) << error;
}

TEST(LoadXml, AllowedSetFromTheFile) {
  // A machine exported from inside a cgroup: only some PUs allowed.
  std::string xml = read_file(testing::xml_path("nvidia-dgx-gb10.xml"));
  const std::string allowed = "allowed_cpuset=\"0x000fffff\"";
  xml.replace(xml.find(allowed), allowed.size(), "allowed_cpuset=\"0x00000f0f\"");
  const auto path = write_file("some-allowed.xml", xml);
  const Topology topology = Topology::from_xml(path);
  EXPECT_EQ(topology.allowed_pus().to_string(), "0-3,8-11");
  EXPECT_EQ(topology.summary().pus, 20U);
  EXPECT_TRUE(topology.summary().allowed_is_restricted());
}

TEST(LoadSynthetic, UnknownTokenIsNamed) {
  const std::string error = load_error([] { Topology::from_synthetic("pack:2 foo:3 pu:2"); });
  EXPECT_TRUE(contains(error, "unknown object type \"foo\" in \"foo:3\"")) << error;
}

TEST(LoadSynthetic, MalformedDescriptions) {
  for (const char* description : {"", "pack:x", "pack:2 core:0 pu:1"}) {
    const std::string error = load_error([&] { Topology::from_synthetic(description); });
    EXPECT_TRUE(contains(error, "invalid synthetic topology")) << description << ": " << error;
  }
}

class ExportXml : public ::testing::TestWithParam<std::string> {};

TEST_P(ExportXml, LoadsBackAsTheSameMachine) {
  const Topology original = Topology::from_xml(testing::xml_path(GetParam()));
  const auto path = write_file("exported-" + GetParam(), original.export_xml());
  const Topology copy = Topology::from_xml(path);
  MachineSummary a = original.summary();
  MachineSummary b = copy.summary();
  b.source = a.source;
  EXPECT_EQ(a.packages, b.packages);
  EXPECT_EQ(a.numa_nodes, b.numa_nodes);
  EXPECT_EQ(a.l3_caches, b.l3_caches);
  EXPECT_EQ(a.l2_caches, b.l2_caches);
  EXPECT_EQ(a.cores, b.cores);
  EXPECT_EQ(a.allowed, b.allowed);
  EXPECT_EQ(a.cpu_model, b.cpu_model);
  EXPECT_EQ(a.classes_present, b.classes_present);
  EXPECT_EQ(original.all_pairs(500, 3), copy.all_pairs(500, 3));
}

INSTANTIATE_TEST_SUITE_P(EveryXml, ExportXml, ::testing::ValuesIn(testing::xml_names()),
                         [](const auto& p) { return testing::test_name(p.param); });

}  // namespace
}  // namespace rcbench::topo
