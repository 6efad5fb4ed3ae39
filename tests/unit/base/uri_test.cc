#include "base/uri.h"

#include <gtest/gtest.h>

namespace regie {
namespace {

TEST(SplitPath, DecodesSegmentsAndDropsEmptyOnes) {
  auto r = SplitPath("/dav/files/al%20ice//b%C3%A4r/");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (std::vector<std::string>{"dav", "files", "al ice", "b\xC3\xA4r"}));
}

TEST(SplitPath, RejectsInvalidUtf8DotSegmentsAndEncodedSlashes) {
  for (const char* bad : {"/a/%C3%28", "/a/../b", "/a/./b", "/a/x%2Fy", "/a/%00", "/a/%G1", "/a/%4",
                          "/a/%ED%A0%80"}) {
    auto r = SplitPath(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::kInvalidInput) << bad;
  }
}

TEST(PercentEncodeSegment, RoundTripsThroughDecode) {
  const std::string name = "Jahresbericht 2026 (Entwurf) #1?%.odt";
  EXPECT_EQ(*PercentDecode(PercentEncodeSegment(name)), name);
  EXPECT_EQ(PercentEncodeSegment("a b/c"), "a%20b%2Fc");
}

TEST(IsValidUtf8, AcceptsFourByteAndRejectsOverlong) {
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x8E\xAD"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
}

}  // namespace
}  // namespace regie
