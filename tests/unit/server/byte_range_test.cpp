#include <gtest/gtest.h>

#include "http/byte_range.h"

using avatar::server::ByteRange;
using avatar::server::parseByteRange;

namespace {

std::string describe(const char* header, qint64 size) {
  const ByteRange r = parseByteRange(header, size);
  switch (r.kind) {
    case ByteRange::Whole:
      return "whole";
    case ByteRange::Unsatisfiable:
      return "416";
    default:
      return std::to_string(r.first) + "-" + std::to_string(r.last);
  }
}

TEST(ByteRange, SingleRanges) {
  EXPECT_EQ(describe("bytes=0-99", 1000), "0-99");
  EXPECT_EQ(describe("bytes=100-", 1000), "100-999");
  EXPECT_EQ(describe("bytes=-10", 1000), "990-999");
  EXPECT_EQ(describe("bytes=-5000", 1000), "0-999");
  EXPECT_EQ(describe("bytes=990-5000", 1000), "990-999");
  EXPECT_EQ(describe("Bytes = 5-5", 1000), "whole");  // spaces inside the unit: not ours
  EXPECT_EQ(describe("bytes= 5-5 ", 1000), "5-5");
}

TEST(ByteRange, Unsatisfiable) {
  EXPECT_EQ(describe("bytes=1000-", 1000), "416");
  EXPECT_EQ(describe("bytes=2000-3000", 1000), "416");
  EXPECT_EQ(describe("bytes=-0", 1000), "416");
  EXPECT_EQ(describe("bytes=0-", 0), "416");
}

TEST(ByteRange, IgnoredHeaders) {
  EXPECT_EQ(describe("bytes=5-2", 1000), "whole");
  EXPECT_EQ(describe("items=0-1", 1000), "whole");
  EXPECT_EQ(describe("bytes=0-1,5-6", 1000), "whole");
  EXPECT_EQ(describe("bytes=a-b", 1000), "whole");
  EXPECT_EQ(describe("bytes=", 1000), "whole");
  EXPECT_EQ(describe("bytes=99999999999999999999-", 1000), "whole");
}

}  // namespace
