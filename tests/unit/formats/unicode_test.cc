#include "formats/text/unicode.h"

#include <gtest/gtest.h>

namespace regie::formats::text {
namespace {

TEST(UnicodeNfc, DecomposedEAcuteBecomesPrecomposed) {
  EXPECT_EQ(NormalizeNfc("caf"
                         "e\xCC\x81"),
            "caf\xC3\xA9");
}

TEST(UnicodeNfc, HangulJamoComposeIntoSyllables) {
  EXPECT_EQ(NormalizeNfc("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80");              // 가
  EXPECT_EQ(NormalizeNfc("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8"), "\xEA\xB0\x81");  // 각
}

TEST(UnicodeNfc, ComposedTextAsciiAndEmptyAreUnchanged) {
  EXPECT_EQ(NormalizeNfc("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(NormalizeNfc("plain.txt"), "plain.txt");
  EXPECT_EQ(NormalizeNfc(""), "");
}

TEST(UnicodeNfc, CompatibilityCharactersAreKept) {
  EXPECT_EQ(NormalizeNfc("\xEF\xAC\x81"), "\xEF\xAC\x81");  // U+FB01 ﬁ: NFKC would give "fi".
}

TEST(UnicodeNfc, CharactersBeyondTheBmpPassThrough) {
  EXPECT_EQ(NormalizeNfc("\xF0\x9F\x98\x80\xF0\x90\x80\x80"), "\xF0\x9F\x98\x80\xF0\x90\x80\x80");
}

TEST(UnicodeNfc, InvalidUtf8IsNullopt) {
  for (std::string_view bad :
       {"\xC3", "\xFF", "a\x80z", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    EXPECT_EQ(NormalizeNfc(bad), std::nullopt) << testing::PrintToString(bad);
    EXPECT_EQ(CaseFold(bad), std::nullopt) << testing::PrintToString(bad);
  }
}

TEST(UnicodeCaseFold, SharpSFoldsToDoubleS) {
  EXPECT_EQ(CaseFold("\xC3\x9F"), "ss");
  EXPECT_EQ(CaseFold("STRASSE"), CaseFold("stra\xC3\x9F"
                                          "e"));
}

TEST(UnicodeCaseFold, CapitalIWithDotFoldsToIAndCombiningDot) {
  EXPECT_EQ(CaseFold("\xC4\xB0"), "i\xCC\x87");  // Full folding, not the Turkic rule.
}

TEST(UnicodeCaseFold, DotlessIIsItsOwnFold) {
  EXPECT_EQ(CaseFold("\xC4\xB1"), "\xC4\xB1");
  EXPECT_NE(CaseFold("\xC4\xB1"), CaseFold("I"));
  EXPECT_EQ(CaseFold("I"), "i");
}

TEST(UnicodeCaseFold, DecomposedCapitalFoldsToPrecomposedSmall) {
  EXPECT_EQ(CaseFold("E\xCC\x81"), "\xC3\xA9");
  EXPECT_EQ(CaseFold("\xC3\x89"), "\xC3\xA9");
}

TEST(UnicodeCaseFold, FoldsBeyondTheBmp) {
  EXPECT_EQ(CaseFold("\xF0\x90\x90\x80"), "\xF0\x90\x90\xA8");  // Deseret U+10400 to U+10428.
}

}  // namespace
}  // namespace regie::formats::text
