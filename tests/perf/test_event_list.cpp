// Naming events: comma lists (--events, RCBENCH_EVENTS) and event files. Bad input
// must fail with a message that says where and what.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>

#include "perf/event_list.hpp"

namespace rcbench::perf {
namespace {

// The message of the std::invalid_argument that `f` throws ("" if it does not throw).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(EventList, SplitsOnCommasAndTrims) {
  EXPECT_EQ(parse_event_list("PAPI_L1_DCM, perf::CS ,RETIRED_LOCK_INSTRUCTIONS", "--events"),
            (std::vector<std::string>{"PAPI_L1_DCM", "perf::CS", "RETIRED_LOCK_INSTRUCTIONS"}));
}

TEST(EventList, KeepsQualifiersAndUmasks) {
  const auto names = parse_event_list(
      "ANY_DATA_CACHE_FILLS_FROM_SYSTEM:DRAM_IO_NEAR:DRAM_IO_FAR,RETIRED_LOCK_INSTRUCTIONS:u=1",
      "--events");
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "ANY_DATA_CACHE_FILLS_FROM_SYSTEM:DRAM_IO_NEAR:DRAM_IO_FAR");
}

TEST(EventList, EmptyListIsAnError) {
  EXPECT_NE(error_of([] { parse_event_list("", "RCBENCH_EVENTS"); }).find("empty event list"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_event_list("   ", "--events"); }).find("--events"),
            std::string::npos);
}

TEST(EventList, EmptyItemIsAnErrorThatSaysWhich) {
  const std::string message =
      error_of([] { parse_event_list("PAPI_L1_DCM,,perf::CS", "--events"); });
  EXPECT_NE(message.find("event 2"), std::string::npos) << message;
}

TEST(EventList, MalformedNameIsAnError) {
  const std::string message = error_of([] { parse_event_list("PAPI L1", "--events"); });
  EXPECT_NE(message.find("'PAPI L1' is not an event name"), std::string::npos) << message;
}

TEST(EventFile, OneEventPerLineWithComments) {
  std::istringstream in(
      "# coherence events\n"
      "PAPI_L1_DCM   # a preset\n"
      "\n"
      "   perf::CONTEXT-SWITCHES\n");
  EXPECT_EQ(parse_event_file(in, "f.txt"),
            (std::vector<std::string>{"PAPI_L1_DCM", "perf::CONTEXT-SWITCHES"}));
}

TEST(EventFile, JunkLineIsAnErrorWithItsLineNumber) {
  std::istringstream in("PAPI_L1_DCM\n# fine\nPAPI_L2_DCM PAPI_L3_TCM\n");
  const std::string message = error_of([&] { parse_event_file(in, "f.txt"); });
  EXPECT_NE(message.find("f.txt:3:"), std::string::npos) << message;
}

TEST(EventFile, JsonIsNotAnEventFile) {
  std::istringstream in("{\"events\": [\"PAPI_L1_DCM\"]}\n");
  const std::string message = error_of([&] { parse_event_file(in, "events.json"); });
  EXPECT_NE(message.find("events.json:1:"), std::string::npos) << message;
}

TEST(EventFile, OnlyCommentsIsAnError) {
  std::istringstream in("# nothing\n\n");
  EXPECT_NE(error_of([&] { parse_event_file(in, "f.txt"); }).find("names no events"),
            std::string::npos);
}

TEST(EventFile, ReadsTheFixtureAndReportsAMissingFile) {
  const auto names = read_event_file(RCBENCH_PERF_TEST_DATA "/events_ok.txt");
  EXPECT_EQ(names,
            (std::vector<std::string>{"PAPI_L1_DCM", "ctx_switches", "perf::CPU-MIGRATIONS"}));
  const std::string message = error_of([] { read_event_file(RCBENCH_PERF_TEST_DATA "/nope.txt"); });
  EXPECT_NE(message.find("cannot be read"), std::string::npos) << message;
  EXPECT_NE(error_of([] { read_event_file(RCBENCH_PERF_TEST_DATA); }).find("is a directory"),
            std::string::npos);
}

}  // namespace
}  // namespace rcbench::perf
