// `rcbench topology`, run as a program: exit statuses, error messages and output.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <rcbench/topology/topology.hpp>
#include <sstream>
#include <string>

#include "run_command.hpp"
#include "topology_files.hpp"

namespace rcbench::topo {
namespace {

using testing::CommandResult;
using testing::shell_quote;
using testing::temp_path;
using testing::xml_path;

constexpr int kUsageError = 2;  // cli/commands.hpp

CommandResult rcbench_topology(const std::string& arguments, const std::string& prefix = "") {
  return testing::run_command(prefix + shell_quote(RCBENCH_EXECUTABLE) + " topology " + arguments +
                              " 2>&1");
}

std::string quoted_xml(const std::string& name) { return shell_quote(xml_path(name).string()); }

void write_bad_xml_files() {
  std::ofstream(temp_path("malformed.xml")) << "<topology><object type=\"Machine\">";
  std::ostringstream xml;
  xml << std::ifstream(xml_path("nvidia-dgx-gb10.xml")).rdbuf();
  std::string text = xml.str();
  const std::string allowed = "allowed_cpuset=\"0x000fffff\"";
  text.replace(text.find(allowed), allowed.size(), "allowed_cpuset=\"0x0\"");
  std::ofstream(temp_path("nothing-allowed.xml")) << text;
}

// "{tmp}" in a case's arguments stands for this process's temporary folder.
std::string with_temp_dir(std::string arguments) {
  const std::string marker = "{tmp}";
  for (auto at = arguments.find(marker); at != std::string::npos; at = arguments.find(marker)) {
    arguments.replace(at, marker.size(), temp_path("").string());
  }
  return arguments;
}

nlohmann::json json_of(const CommandResult& result) { return nlohmann::json::parse(result.output); }

struct BadInput {
  const char* name;
  std::string arguments;
  std::string message;
};

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, ExitsWithUsageErrorAndSaysWhy) {
  write_bad_xml_files();
  const CommandResult result = rcbench_topology(with_temp_dir(GetParam().arguments));
  EXPECT_EQ(result.exit_code, kUsageError) << result.output;
  EXPECT_NE(result.output.find(GetParam().message), std::string::npos) << result.output;
}

std::vector<BadInput> bad_inputs() {
  const std::string small = "--synthetic 'pack:1 core:2 pu:1' ";
  return {
      {"unknown_pu_this_system", "--classify 0,9999", "PU 9999 does not exist"},
      {"unknown_pu", small + "--classify 0,999", "PU 999 does not exist in synthetic"},
      {"malformed_cpu_list", small + "--classify 0,x", "invalid CPU list \"0,x\""},
      {"missing_xml", "--input /nonexistent/machine.xml", "does not exist"},
      {"malformed_xml", "--input '{tmp}malformed.xml'", "is not a valid hwloc XML topology"},
      {"nothing_allowed_xml", "--input '{tmp}nothing-allowed.xml'", "no PU of"},
      {"unknown_synthetic_token", "--synthetic 'pack:2 foo:3 pu:2'", "unknown object type \"foo\""},
      {"empty_allowed_set", small + "--restrict 7", "none of the PUs 7 is allowed"},
      {"plan_larger_than_machine", small + "--threads 3", "3 threads need 3 PUs, but only 2"},
      {"plan_without_domain", small + "--threads 2 --policy within:l3", "no l3 domain"},
      {"unknown_policy", small + "--threads 2 --policy sideways",
       "unknown placement policy \"sideways\""},
      {"policy_without_threads", small + "--policy scatter", "requires --threads"},
      {"sample_without_pairs", small + "--sample 3", "requires --pairs"},
      {"two_inputs", "--input " + quoted_xml("nvidia-dgx-gb10.xml") + " " + small, "excludes"},
      {"zero_threads", small + "--threads 0", "--threads"},
      {"empty_synthetic", "--synthetic ''", "invalid synthetic topology \"\": empty description"},
      {"huge_synthetic", "--synthetic 'pack:1000 core:1000 pu:1000'",
       "has more than 16384 PUs, the most rcbench supports"},
      {"zero_sample", small + "--pairs --sample 0", "Value 0 not in range 1 to 4294967296"},
      {"export_into_missing_folder", small + "--export-xml /nonexistent/dir/m.xml",
       "folder /nonexistent/dir does not exist"},
  };
}

INSTANTIATE_TEST_SUITE_P(Cases, CliBadInput, ::testing::ValuesIn(bad_inputs()),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(Cli, SummaryOfAnXmlMachineAsJson) {
  const CommandResult result =
      rcbench_topology("--input " + quoted_xml("AMD-19h-Zen4-2xEpyc-9654.xml") + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json out = json_of(result);
  EXPECT_EQ(out["machine"]["pus"], 384);
  EXPECT_EQ(out["machine"]["packages"], 2);
  EXPECT_EQ(out["machine"]["l3_caches"], 24);
  EXPECT_EQ(out["machine"]["allowed_pus"], "0-383");
  EXPECT_EQ(out["machine"]["this_system"], false);
  EXPECT_EQ(out["machine"]["classes_present"],
            nlohmann::json({"same_pu", "smt", "l3", "numa", "machine"}));
  ASSERT_EQ(out["representative_pairs"].size(), 5U);
  EXPECT_EQ(out["representative_pairs"][1],
            nlohmann::json({{"a", 0}, {"b", 192}, {"class", "smt"}}));
}

TEST(Cli, PlanAndClassify) {
  const CommandResult result =
      rcbench_topology("--input " + quoted_xml("AMD-19h-Zen4-2xEpyc-9654.xml") +
                       " --threads 8 --policy within:l3 --classify 0,96 --json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json out = json_of(result);
  EXPECT_EQ(out["plan"]["pus"], "0-7");
  EXPECT_EQ(out["plan"]["class"], "l3");
  EXPECT_EQ(out["plan"]["policy"], "within:l3");
  EXPECT_EQ(out["classify"]["class"], "machine");
}

TEST(Cli, SampledPairsMatchTheLibrary) {
  const std::string description = "pack:2 l3:2 core:4 pu:2";
  const CommandResult result = rcbench_topology("--synthetic " + shell_quote(description) +
                                                " --pairs --sample 5 --seed 3 --json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json out = json_of(result);
  EXPECT_EQ(out["pairs"]["total"], 32 * 31 / 2);
  const auto expected = Topology::from_synthetic(description).all_pairs(5, 3);
  ASSERT_EQ(out["pairs"]["pairs"].size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(out["pairs"]["pairs"][i]["a"], expected[i].a);
    EXPECT_EQ(out["pairs"]["pairs"][i]["b"], expected[i].b);
    EXPECT_EQ(out["pairs"]["pairs"][i]["class"], to_string(expected[i].cls));
  }
}

TEST(Cli, TextSummaryOfThisSystem) {
  const CommandResult result = rcbench_topology("--threads 1");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("Machine: this system"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("Allowed PUs: "), std::string::npos);
  EXPECT_NE(result.output.find("same_pu"), std::string::npos);
  EXPECT_NE(result.output.find("Plan: 1 thread, compact: PUs "), std::string::npos);
}

TEST(Cli, AllowedSetShrinksUnderTaskset) {
  if (std::string(TASKSET_EXECUTABLE).empty()) GTEST_SKIP() << "taskset not found";
  const CommandResult result =
      rcbench_topology("--json", std::string(TASKSET_EXECUTABLE) + " -c 0 ");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json out = json_of(result);
  EXPECT_EQ(out["machine"]["allowed_pus"], "0");
  EXPECT_EQ(out["machine"]["classes_present"], nlohmann::json({"same_pu"}));
  const CommandResult text = rcbench_topology("", std::string(TASKSET_EXECUTABLE) + " -c 0 ");
  if (Topology::this_system().summary().pus > 1) {
    EXPECT_NE(text.output.find("hides the others"), std::string::npos) << text.output;
  }
}

TEST(Cli, ExportXmlLoadsBack) {
  const auto path = temp_path("exported.xml");
  const CommandResult result =
      rcbench_topology("--input " + quoted_xml("Intel-RaptorLake-Corei7-1370P.xml") +
                       " --export-xml " + shell_quote(path.string()));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(
      Topology::from_xml(path).summary().classes_present,
      Topology::from_xml(xml_path("Intel-RaptorLake-Corei7-1370P.xml")).summary().classes_present);
}

// A destination the user can fix is a usage error, refused before any work.
TEST(Cli, ExportIntoAMissingFolderIsAUsageError) {
  const CommandResult result = rcbench_topology("--export-xml /nonexistent/dir/machine.xml");
  EXPECT_EQ(result.exit_code, kUsageError) << result.output;
  EXPECT_NE(result.output.find("folder /nonexistent/dir does not exist"), std::string::npos)
      << result.output;
}

TEST(Cli, ExportNeverOverwritesWithoutForce) {
  const auto path = temp_path("existing-export.xml");
  std::ofstream(path) << "keep me\n";
  const CommandResult refused = rcbench_topology("--export-xml " + shell_quote(path.string()));
  EXPECT_EQ(refused.exit_code, kUsageError) << refused.output;
  EXPECT_NE(refused.output.find("never overwritten"), std::string::npos) << refused.output;
  std::ostringstream kept;
  kept << std::ifstream(path).rdbuf();
  EXPECT_EQ(kept.str(), "keep me\n");
  const CommandResult forced = rcbench_topology("--export-xml " + shell_quote(path.string()) + " --force");
  EXPECT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_NO_THROW(Topology::from_xml(path));
}

TEST(Cli, HelpGroupsOptionsLikeHwlocTools) {
  const CommandResult result = rcbench_topology("--help");
  EXPECT_EQ(result.exit_code, 0);
  for (const char* group : {"Input:", "Plan:", "Query:", "Pairs:", "Output:"}) {
    EXPECT_NE(result.output.find(group), std::string::npos) << group << "\n" << result.output;
  }
}

}  // namespace
}  // namespace rcbench::topo
