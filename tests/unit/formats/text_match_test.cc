#include "formats/text/text_match.h"

#include <gtest/gtest.h>

namespace regie::formats::text {
namespace {

TextMatch Unicode(std::string text, MatchType type = MatchType::kContains) {
  return {.text = std::move(text), .collation = Collation::kUnicodeCasemap, .match = type};
}

TEST(TextMatch, UnicodeCasemapFoldsSharpSToDoubleS) {
  EXPECT_TRUE(Matches(Unicode("STRASSE"), "Hauptstraße 5"));
  EXPECT_TRUE(Matches(Unicode("straße"), "HAUPTSTRASSE"));
}

TEST(TextMatch, UnicodeCasemapMatchesNfdQueryAgainstNfcText) {
  // "José" with a combining acute accent against the precomposed form.
  EXPECT_TRUE(Matches(Unicode("jose\xCC\x81"), "Jos\xC3\xA9 Mart\xC3\xADnez"));
  EXPECT_TRUE(Matches(Unicode("JOS\xC3\x89"), "jose\xCC\x81"));
}

TEST(TextMatch, UnicodeCasemapKeepsDotlessIApartFromI) {
  // Full (not Turkic) case folding: ı stays ı, and İ folds to i + combining dot above.
  EXPECT_FALSE(Matches(Unicode("i", MatchType::kEquals), "\xC4\xB1"));
  EXPECT_TRUE(Matches(Unicode("\xC4\xB0stanbul"), "i\xCC\x87stanbul"));
  EXPECT_FALSE(Matches(Unicode("istanbul", MatchType::kEquals), "\xC4\xB0stanbul"));
}

TEST(TextMatch, AsciiCasemapFoldsOnlyAscii) {
  const TextMatch m{.text = "ÉCOLE", .collation = Collation::kAsciiCasemap};
  EXPECT_TRUE(Matches(m, "ÉCOLE des beaux-arts"));
  EXPECT_FALSE(Matches(m, "école"));
  EXPECT_TRUE(Matches({.text = "museum"}, "Städel MUSEUM"));
}

TEST(TextMatch, OctetIsCaseSensitive) {
  const TextMatch m{.text = "Louvre", .collation = Collation::kOctet};
  EXPECT_TRUE(Matches(m, "Musée du Louvre"));
  EXPECT_FALSE(Matches(m, "musée du louvre"));
}

TEST(TextMatch, MatchTypesAndNegation) {
  EXPECT_TRUE(Matches({.text = "ann", .match = MatchType::kStartsWith}, "Anna Schmidt"));
  EXPECT_FALSE(Matches({.text = "schmidt", .match = MatchType::kStartsWith}, "Anna Schmidt"));
  EXPECT_TRUE(Matches({.text = "SCHMIDT", .match = MatchType::kEndsWith}, "Anna Schmidt"));
  EXPECT_TRUE(Matches({.text = "anna schmidt", .match = MatchType::kEquals}, "Anna Schmidt"));
  EXPECT_FALSE(Matches({.text = "anna", .match = MatchType::kEquals}, "Anna Schmidt"));
  EXPECT_FALSE(Matches({.text = "anna", .negate = true}, "Anna Schmidt"));
  EXPECT_TRUE(Matches({.text = "bob", .negate = true}, "Anna Schmidt"));
}

TEST(TextMatch, InvalidUtf8NeverMatchesUnderUnicodeCasemap) {
  EXPECT_FALSE(Matches(Unicode("a"), "a\xFF"));
  TextMatch negated = Unicode("a");
  negated.negate = true;
  EXPECT_TRUE(Matches(negated, "a\xFF"));
}

TEST(TextMatch, ParsesCollationAndMatchTypeNames) {
  EXPECT_EQ(ParseCollation("i;unicode-casemap"), Collation::kUnicodeCasemap);
  EXPECT_EQ(ParseCollation("i;ascii-casemap"), Collation::kAsciiCasemap);
  EXPECT_EQ(ParseCollation("i;octet"), Collation::kOctet);
  EXPECT_EQ(ParseCollation("i;basic"), std::nullopt);
  EXPECT_EQ(ParseMatchType("ends-with"), MatchType::kEndsWith);
  EXPECT_EQ(ParseMatchType("fuzzy"), std::nullopt);
}

}  // namespace
}  // namespace regie::formats::text
