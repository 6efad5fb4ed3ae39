#include "base/crypto.h"

#include <gtest/gtest.h>

namespace regie {
namespace {

TEST(Sha256, MatchesFips180Vectors) {
  EXPECT_EQ(ToHex(Sha256::Of("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256::Of("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 h;
  h.Update(std::string_view("ab"));
  h.Update(std::string_view("c"));
  EXPECT_EQ(h.Finish(), Sha256::Of("abc"));
}

TEST(KeyedDigest, DependsOnKeyAndData) {
  std::vector<std::uint8_t> k1(32, 1), k2(32, 2);
  EXPECT_EQ(KeyedDigest(k1, "x"), KeyedDigest(k1, "x"));
  EXPECT_NE(KeyedDigest(k1, "x"), KeyedDigest(k2, "x"));
  EXPECT_NE(KeyedDigest(k1, "x"), KeyedDigest(k1, "y"));
}

TEST(RandomToken, HasExpectedLengthAndDiffers) {
  const auto a = RandomToken(16), b = RandomToken(16);
  EXPECT_EQ(a.size(), 22U);  // 128 bits in unpadded base64url.
  EXPECT_NE(a, b);
}

TEST(Base64Decode, DecodesWithAndWithoutPaddingAndRejectsGarbage) {
  EXPECT_EQ(*Base64Decode("YWxpY2U6c2VjcmV0"), "alice:secret");
  EXPECT_EQ(*Base64Decode("YQ=="), "a");
  EXPECT_EQ(*Base64Decode("YQ"), "a");
  EXPECT_FALSE(Base64Decode("!!!!"));
}

}  // namespace
}  // namespace regie
