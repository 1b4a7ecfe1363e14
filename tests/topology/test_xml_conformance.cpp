// Every XML machine: rcbench's classes must agree with two readings of the same file that
// share no code with topology/:
//   1. hwloc's own utility, hwloc-info (--ancestor for cores, caches and packages; the
//      NUMA nodes' cpusets), run as a separate program;
//   2. the hwloc API used another way: each object's cpuset is walked bit by bit and
//      membership decides sharing (the library uses ancestor lookups and PU nodesets).
// Both feed one copy of the documented rule (PlacementClass) written out here, and every
// pair of PUs of every machine is compared (73,536 pairs on the 384-PU ones).
#include <gtest/gtest.h>
#include <hwloc.h>

#include <map>
#include <optional>
#include <rcbench/topology/topology.hpp>
#include <set>
#include <sstream>

#include "run_command.hpp"
#include "topology_files.hpp"

namespace rcbench::topo {
namespace {

using testing::run_command;
using testing::shell_quote;
using testing::xml_path;

// What one PU shares, as the oracle sees it: the index of its core, L2, L3 and package
// (nullopt when the machine has no such object above it) and the NUMA nodes whose cpuset
// contains it.
struct PuFacts {
  std::optional<unsigned> core, l2, l3, package;
  std::set<unsigned> numa_nodes;
};
using Facts = std::map<unsigned, PuFacts>;  // by PU OS index

// The documented rule (see PlacementClass and topology/src/classify.cpp), restated.
PlacementClass expected_class(unsigned a, unsigned b, const Facts& facts) {
  const PuFacts& x = facts.at(a);
  const PuFacts& y = facts.at(b);
  const auto same = [](const std::optional<unsigned>& p, const std::optional<unsigned>& q) {
    return p.has_value() && q.has_value() && *p == *q;
  };
  if (a == b) return PlacementClass::same_pu;
  if (same(x.core, y.core)) return PlacementClass::smt;
  if (same(x.l2, y.l2)) return PlacementClass::l2;
  if (same(x.l3, y.l3)) return PlacementClass::l3;
  const bool both_in_packages = x.package.has_value() && y.package.has_value();
  if (both_in_packages && *x.package != *y.package) return PlacementClass::machine;
  if (!x.numa_nodes.empty() && x.numa_nodes == y.numa_nodes) return PlacementClass::numa;
  return both_in_packages ? PlacementClass::package : PlacementClass::machine;
}

// --- Reading 1: hwloc-info ------------------------------------------------------------

std::string hwloc_info(const std::string& file, const std::string& arguments) {
  const auto result =
      run_command(std::string(HWLOC_INFO_EXECUTABLE) + " --input " +
                  shell_quote(xml_path(file).string()) + " " + arguments + " 2>/dev/null");
  return result.output;
}

// "0x00000303,0x03030000,,0x0": 32-bit words, most significant first, empty means 0.
std::set<unsigned> parse_hwloc_bitmap(const std::string& text) {
  std::vector<std::string> words;
  std::stringstream stream(text);
  for (std::string word; std::getline(stream, word, ',');) words.push_back(word);
  std::set<unsigned> bits;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const unsigned long value = words[i].empty() ? 0 : std::stoul(words[i], nullptr, 16);
    const std::size_t base = 32 * (words.size() - 1 - i);
    for (unsigned bit = 0; bit < 32; ++bit) {
      if ((value >> bit) & 1UL) bits.insert(static_cast<unsigned>(base + bit));
    }
  }
  return bits;
}

// The text after `prefix` when `line` starts with it. (No std::regex: GCC 12's
// <regex> trips -Wmaybe-uninitialized under the sanitizer presets.)
std::optional<std::string> after_prefix(const std::string& line, const std::string& prefix) {
  if (line.rfind(prefix, 0) != 0) return std::nullopt;
  return line.substr(prefix.size());
}

unsigned number(const std::string& text) { return static_cast<unsigned>(std::stoul(text)); }

Facts facts_from_hwloc_info(const std::string& file) {
  // PU logical index -> OS index, from the "PU L#j" / " os index = N" blocks.
  std::map<unsigned, unsigned> os_of_logical;
  {
    std::istringstream lines(hwloc_info(file, "pu:all"));
    std::optional<unsigned> current;
    for (std::string line; std::getline(lines, line);) {
      if (auto rest = after_prefix(line, "PU L#")) current = number(*rest);
      if (auto rest = after_prefix(line, " os index = "); rest && current) {
        os_of_logical[*current] = number(*rest);
      }
    }
  }
  Facts facts;
  for (const auto& [logical, os] : os_of_logical) facts[os];

  // "Core L#3 = parent of PU L#7" (the same wording for ancestors further up).
  const std::pair<const char*, std::optional<unsigned> PuFacts::*> levels[] = {
      {"core", &PuFacts::core},
      {"l2", &PuFacts::l2},
      {"l3", &PuFacts::l3},
      {"package", &PuFacts::package}};
  for (const auto& [type, member] : levels) {
    std::istringstream lines(hwloc_info(file, std::string("--ancestor ") + type + " pu:all"));
    for (std::string line; std::getline(lines, line);) {
      const auto ancestor_at = line.find(" L#");
      const auto pu_at = line.find(" of PU L#");
      if (ancestor_at == std::string::npos || pu_at == std::string::npos) continue;
      const unsigned pu_os = os_of_logical.at(number(line.substr(pu_at + 9)));
      facts[pu_os].*member = number(line.substr(ancestor_at + 3));
    }
  }

  // NUMA nodes are not ancestors: read each node's cpuset.
  std::istringstream lines(hwloc_info(file, "numa:all"));
  std::optional<unsigned> node;
  for (std::string line; std::getline(lines, line);) {
    if (auto rest = after_prefix(line, " os index = ")) node = number(*rest);
    if (auto rest = after_prefix(line, " cpuset = "); rest && node) {
      for (unsigned pu : parse_hwloc_bitmap(*rest)) {
        if (facts.count(pu)) facts[pu].numa_nodes.insert(*node);
      }
    }
  }
  return facts;
}

// --- Reading 2: the hwloc API, by cpuset membership ------------------------------------

Facts facts_from_cpusets(const std::string& file) {
  hwloc_topology_t topology = nullptr;
  EXPECT_EQ(hwloc_topology_init(&topology), 0);
  EXPECT_EQ(hwloc_topology_set_xml(topology, xml_path(file).c_str()), 0);
  EXPECT_EQ(hwloc_topology_load(topology), 0);
  Facts facts;
  const auto each_pu_of = [](hwloc_obj_t object, auto&& visit) {
    for (int bit = hwloc_bitmap_first(object->cpuset); bit >= 0;
         bit = hwloc_bitmap_next(object->cpuset, bit)) {
      visit(static_cast<unsigned>(bit));
    }
  };
  for (int i = 0; i < hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PU); ++i) {
    facts[hwloc_get_obj_by_type(topology, HWLOC_OBJ_PU, static_cast<unsigned>(i))->os_index];
  }
  const std::pair<hwloc_obj_type_t, std::optional<unsigned> PuFacts::*> levels[] = {
      {HWLOC_OBJ_CORE, &PuFacts::core},
      {HWLOC_OBJ_L2CACHE, &PuFacts::l2},
      {HWLOC_OBJ_L3CACHE, &PuFacts::l3},
      {HWLOC_OBJ_PACKAGE, &PuFacts::package}};
  for (const auto& [type, member] : levels) {
    for (int i = 0; i < hwloc_get_nbobjs_by_type(topology, type); ++i) {
      hwloc_obj_t object = hwloc_get_obj_by_type(topology, type, static_cast<unsigned>(i));
      each_pu_of(object, [&, m = member](unsigned pu) { facts[pu].*m = static_cast<unsigned>(i); });
    }
  }
  for (int i = 0; i < hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_NUMANODE); ++i) {
    hwloc_obj_t node =
        hwloc_get_obj_by_type(topology, HWLOC_OBJ_NUMANODE, static_cast<unsigned>(i));
    each_pu_of(node, [&](unsigned pu) { facts[pu].numa_nodes.insert(node->os_index); });
  }
  hwloc_topology_destroy(topology);
  return facts;
}

// --- The comparisons --------------------------------------------------------------------

void expect_every_pair_agrees(const Topology& topology, const Facts& facts) {
  ASSERT_EQ(facts.size(), topology.summary().pus);
  std::size_t mismatches = 0;
  for (const auto& [a, facts_a] : facts) {
    for (const auto& [b, facts_b] : facts) {
      if (b < a) continue;
      const PlacementClass expected = expected_class(a, b, facts);
      const PlacementClass got = topology.classify(a, b);
      if (got != expected && ++mismatches <= 10) {
        ADD_FAILURE() << "PUs " << a << "," << b << ": rcbench says " << to_string(got)
                      << ", the independent reading says " << to_string(expected);
      }
    }
  }
  EXPECT_EQ(mismatches, 0U);
}

std::vector<PlacementClass> classes_present(const Facts& facts) {
  std::set<PlacementClass> present;
  for (const auto& [a, unused_a] : facts) {
    for (const auto& [b, unused_b] : facts) {
      if (a <= b) present.insert(expected_class(a, b, facts));
    }
  }
  return {present.begin(), present.end()};
}

class XmlMachine : public ::testing::TestWithParam<std::string> {};

TEST_P(XmlMachine, EveryPairAgreesWithHwlocInfo) {
  const Topology topology = Topology::from_xml(xml_path(GetParam()));
  const Facts facts = facts_from_hwloc_info(GetParam());
  expect_every_pair_agrees(topology, facts);
  EXPECT_EQ(topology.summary().classes_present, classes_present(facts));
}

TEST_P(XmlMachine, EveryPairAgreesWithCpusetMembership) {
  const Topology topology = Topology::from_xml(xml_path(GetParam()));
  const Facts facts = facts_from_cpusets(GetParam());
  expect_every_pair_agrees(topology, facts);
  EXPECT_EQ(topology.summary().classes_present, classes_present(facts));
}

TEST_P(XmlMachine, CountsAgreeWithHwlocInfo) {
  const MachineSummary summary = Topology::from_xml(xml_path(GetParam())).summary();
  const auto count = [&](const char* type) {
    std::istringstream lines(hwloc_info(GetParam(), std::string(type) + ":all"));
    unsigned n = 0;
    for (std::string line; std::getline(lines, line);) n += line.rfind(" type = ", 0) == 0;
    return n;
  };
  EXPECT_EQ(summary.packages, count("package"));
  EXPECT_EQ(summary.numa_nodes, count("numa"));
  EXPECT_EQ(summary.l3_caches, count("l3"));
  EXPECT_EQ(summary.l2_caches, count("l2"));
  EXPECT_EQ(summary.cores, count("core"));
  EXPECT_EQ(summary.pus, count("pu"));
}

INSTANTIATE_TEST_SUITE_P(EveryXml, XmlMachine, ::testing::ValuesIn(testing::xml_names()),
                         [](const auto& p) { return testing::test_name(p.param); });

// The shapes the README promises, so a wrong reading in both oracles cannot hide.
TEST(XmlMachines, KnownClassesOfNamedMachines) {
  using C = PlacementClass;
  const std::map<std::string, std::vector<PlacementClass>> expected = {
      {"AMD-19h-Zen4-2xEpyc-9654.xml", {C::same_pu, C::smt, C::l3, C::numa, C::machine}},
      {"AMD-17h-Zen-2xEpyc-7451.xml", {C::same_pu, C::smt, C::l3, C::numa, C::package, C::machine}},
      {"64amd64-4p2n4ca2co.xml", {C::same_pu, C::l2, C::l3, C::package, C::machine}},
      {"Intel-RaptorLake-Corei7-1370P.xml", {C::same_pu, C::smt, C::l2, C::l3}},
      {"Intel-KnightsLanding-XeonPhi-7210.xml", {C::same_pu, C::smt, C::l2, C::numa}},
      {"power8gpudistances.xml", {C::same_pu, C::smt, C::numa, C::machine}},
      {"192em64t-12gr2n8c2t.xml", {C::same_pu, C::smt, C::l3, C::machine}},
      // QEMU guests (scripts/vlab.sh presets), as derived from their -smp/-numa arguments:
      // one node over two dies (L3s) makes cross-die pairs numa; 4 nodes of 2 dies in 2
      // sockets give every class QEMU can express (no L2 shared by cores).
      {"qemu-1s-2die.xml", {C::same_pu, C::smt, C::l3, C::numa}},
      {"qemu-2s-4die-smt-4n.xml", {C::same_pu, C::smt, C::l3, C::numa, C::package, C::machine}},
  };
  for (const auto& [file, classes] : expected) {
    EXPECT_EQ(Topology::from_xml(xml_path(file)).summary().classes_present, classes) << file;
  }
}

}  // namespace
}  // namespace rcbench::topo
