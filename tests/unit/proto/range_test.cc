#include "proto/http/range.h"

#include <gtest/gtest.h>

namespace regie::proto::http {
namespace {

TEST(ParseRange, SingleRangesAreServedPartially) {
  auto r = ParseRange("bytes=0-99", 1000);
  EXPECT_EQ(r.verdict, RangeVerdict::kPartial);
  EXPECT_EQ(r.range.first, 0U);
  EXPECT_EQ(r.range.length, 100U);
  r = ParseRange("bytes=900-", 1000);
  EXPECT_EQ(r.range.first, 900U);
  EXPECT_EQ(r.range.length, 100U);
  r = ParseRange("bytes=-10", 1000);
  EXPECT_EQ(r.range.first, 990U);
  EXPECT_EQ(r.range.length, 10U);
  r = ParseRange("bytes=-5000", 1000);  // A suffix longer than the body is the whole body.
  EXPECT_EQ(r.range.first, 0U);
  EXPECT_EQ(r.range.length, 1000U);
  r = ParseRange("bytes=990-5000", 1000);  // The last position is clipped.
  EXPECT_EQ(r.range.length, 10U);
}

TEST(ParseRange, RangesOutsideTheBodyAreUnsatisfiable) {
  EXPECT_EQ(ParseRange("bytes=1000-", 1000).verdict, RangeVerdict::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=-0", 1000).verdict, RangeVerdict::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=0-", 0).verdict, RangeVerdict::kUnsatisfiable);
}

TEST(ParseRange, InvalidOrUnsupportedRangesGetTheWholeBody) {
  for (const char* header : {"items=0-1", "bytes=5-1", "bytes=0-1,3-4", "bytes=x-",
                             "bytes=", "bytes=-", "bytes=1", "bytes=18446744073709551616-"}) {
    EXPECT_EQ(ParseRange(header, 1000).verdict, RangeVerdict::kWholeBody) << header;
  }
}

TEST(ParseHttpDate, ReadsTheThreeFormats) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_FALSE(ParseHttpDate("yesterday"));
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
}

}  // namespace
}  // namespace regie::proto::http
