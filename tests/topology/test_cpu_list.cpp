#include <gtest/gtest.h>

#include <rcbench/topology/cpu_list.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace rcbench::topo {
namespace {

std::string error_of(const std::string& text) {
  try {
    CpuList::parse(text);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(CpuList, ParsesIndicesRangesAndStrides) {
  EXPECT_EQ(CpuList::parse("0-3,8").pus(), (std::vector<unsigned>{0, 1, 2, 3, 8}));
  EXPECT_EQ(CpuList::parse("5").pus(), (std::vector<unsigned>{5}));
  EXPECT_EQ(CpuList::parse("0-10:4").pus(), (std::vector<unsigned>{0, 4, 8}));
  EXPECT_EQ(CpuList::parse(" 7 , 2-3 ").pus(), (std::vector<unsigned>{2, 3, 7}));
  EXPECT_EQ(CpuList::parse("3,1,3,2-3").pus(), (std::vector<unsigned>{1, 2, 3}));
  EXPECT_EQ(CpuList::parse("4-4").pus(), (std::vector<unsigned>{4}));
  EXPECT_TRUE(CpuList::parse("").empty());
  EXPECT_TRUE(CpuList::parse("  ").empty());
}

TEST(CpuList, PrintsCanonicalRanges) {
  EXPECT_EQ(CpuList({8, 0, 1, 2, 3}).to_string(), "0-3,8");
  EXPECT_EQ(CpuList({0, 1}).to_string(), "0-1");
  EXPECT_EQ(CpuList({5}).to_string(), "5");
  EXPECT_EQ(CpuList({0, 2, 4, 5, 6, 9}).to_string(), "0,2,4-6,9");
  EXPECT_EQ(CpuList().to_string(), "");
}

TEST(CpuList, RoundTripsThroughText) {
  for (const char* text : {"0", "0-383", "0-1,8-9,16-17,24-25,80-81", "1,3,5,7", "65535"}) {
    EXPECT_EQ(CpuList::parse(text).to_string(), text);
  }
}

TEST(CpuList, RejectsMalformedListsNamingTheItem) {
  EXPECT_NE(error_of("a").find("\"a\""), std::string::npos) << error_of("a");
  EXPECT_NE(error_of("1,x-3").find("\"x-3\""), std::string::npos);
  EXPECT_NE(error_of("1,,2").find("empty item"), std::string::npos);
  EXPECT_NE(error_of("1,").find("empty item"), std::string::npos);
  EXPECT_NE(error_of(",1").find("empty item"), std::string::npos);
  EXPECT_NE(error_of("3-1").find("upwards"), std::string::npos);
  EXPECT_NE(error_of("0-4:0").find("positive stride"), std::string::npos);
  EXPECT_NE(error_of("-1").find("\"-1\""), std::string::npos);
  EXPECT_NE(error_of("2-").find("\"2-\""), std::string::npos);
  EXPECT_NE(error_of("1.5").find("\"1.5\""), std::string::npos);
  EXPECT_NE(error_of("0-4000000000").find("above the largest"), std::string::npos);
  EXPECT_NE(error_of("99999999999999999999").find("not an index"), std::string::npos);
}

TEST(CpuList, SetOperations) {
  const CpuList a{0, 1, 2, 3};
  const CpuList b{2, 3, 4};
  EXPECT_EQ(a.intersect(b), (CpuList{2, 3}));
  EXPECT_TRUE((CpuList{1, 2}).is_subset_of(a));
  EXPECT_FALSE(b.is_subset_of(a));
  EXPECT_TRUE(a.contains(3));
  EXPECT_FALSE(a.contains(4));
  EXPECT_EQ(a.size(), 4U);
}

}  // namespace
}  // namespace rcbench::topo
