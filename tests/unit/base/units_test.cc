#include "base/units.h"

#include <gtest/gtest.h>

namespace regie {
namespace {

TEST(ParseSize, AcceptsBinaryAndDecimalUnits) {
  EXPECT_EQ(*ParseSize("64MiB"), 64ULL << 20);
  EXPECT_EQ(*ParseSize("16KiB"), 16ULL << 10);
  EXPECT_EQ(*ParseSize("2GB"), 2'000'000'000ULL);
  EXPECT_EQ(*ParseSize("1.5GiB"), 3ULL << 29);
  EXPECT_EQ(*ParseSize("4096"), 4096U);
  EXPECT_EQ(*ParseSize(" 10 k "), 10240U);
}

TEST(ParseSize, RejectsGarbageWithAClearReason) {
  for (const char* bad : {"", "lots", "12XB", "-5", "1.2.3MiB", "99999999999TiB", ".", "."}) {
    auto r = ParseSize(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::kInvalidInput);
    EXPECT_NE(r.error().detail.find("invalid size"), std::string::npos);
  }
}

TEST(ParseDuration, AcceptsCommonUnits) {
  using std::chrono::milliseconds;
  EXPECT_EQ(*ParseDuration("30s"), milliseconds(30'000));
  EXPECT_EQ(*ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(*ParseDuration("15min"), milliseconds(900'000));
  EXPECT_EQ(*ParseDuration("2h"), milliseconds(7'200'000));
  EXPECT_EQ(*ParseDuration("7"), milliseconds(7'000));
  EXPECT_FALSE(ParseDuration("soon"));
  EXPECT_FALSE(ParseDuration("1.5s"));
  EXPECT_FALSE(ParseDuration("999999999999d"));
  EXPECT_TRUE(ParseDuration("99999999d"));
}

TEST(FormatSize, RoundTripsThroughParseSize) {
  for (std::uint64_t v : {0ULL, 1ULL, 1500ULL, 1024ULL, 19ULL << 20, 3ULL << 40}) {
    EXPECT_EQ(*ParseSize(FormatSize(v)), v) << FormatSize(v);
  }
  EXPECT_EQ(FormatSize(64ULL << 20), "64MiB");
  EXPECT_EQ(FormatDuration(std::chrono::minutes(15)), "15min");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(1500)), "1500ms");
}

}  // namespace
}  // namespace regie
