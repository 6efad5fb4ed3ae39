// address-data (RFC 6352 §10.4) and splitting a whole .vcf.
#include <gtest/gtest.h>

#include <string>

#include "formats/vcard/vcard.h"

namespace regie::formats::vcard {
namespace {

const std::string kJane =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\n"
    "item1.EMAIL;type=INTERNET;type=pref:jane@example.com\r\nTEL;WORK;VOICE:+1 555 0100\r\n"
    "END:VCARD\r\n";

std::vector<std::string> PhysicalLines(std::string_view text) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find("\r\n", start);
    EXPECT_NE(end, std::string_view::npos) << "every line ends with CRLF";
    if (end == std::string_view::npos) break;
    lines.emplace_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

AddressDataRequest Only(std::string name) {
  AddressDataRequest request;
  request.all_props = false;
  request.props = {std::move(name)};
  return request;
}

TEST(VcardRender, AllPropsReturnsTheStoredTextUnchanged) {
  const std::string lf = "BEGIN:VCARD\nVERSION:4.0\nUID:u1\nFN:J\nNOTE:x\nEND:VCARD\n";
  auto card = Vcard::Parse(lf, {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(card->Render({}), lf);
}

TEST(VcardRender, OnlyRequestedPropertiesPlusVersionUidAndFn) {
  auto card = Vcard::Parse(kJane, {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(card->Render(Only("EMAIL")),
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Jane Doe\r\n"
            "item1.EMAIL;type=INTERNET;type=pref:jane@example.com\r\nEND:VCARD\r\n");
}

TEST(VcardRender, RequestedNamesAreCaseInsensitiveAndKeepTheLineAsWritten) {
  auto card = Vcard::Parse(kJane, {});
  ASSERT_TRUE(card) << card.error().detail;
  const std::string out = card->Render(Only("tel"));
  EXPECT_NE(out.find("\r\nTEL;WORK;VOICE:+1 555 0100\r\n"), std::string::npos);
  EXPECT_EQ(out.find("EMAIL"), std::string::npos);
  EXPECT_TRUE(Vcard::Parse(out, {}));  // Still a valid card.
}

TEST(VcardRender, LongLinesFoldAt75OctetsWithoutSplittingUtf8) {
  std::string note = "NOTE:";
  for (int i = 0; i < 60; ++i) note += "\xC3\xA9";  // "é", two octets each.
  note += "end";
  auto card = Vcard::Parse("BEGIN:VCARD\nVERSION:4.0\nUID:u1\nFN:J\n" + note + "\nEND:VCARD\n", {});
  ASSERT_TRUE(card) << card.error().detail;
  const std::string out = card->Render(Only("NOTE"));
  std::string unfolded;
  for (const auto& line : PhysicalLines(out)) {
    EXPECT_LE(line.size(), 75u) << line;
    if (line.starts_with(' ')) {
      // A continuation never starts with a UTF-8 continuation byte.
      ASSERT_GT(line.size(), 1u);
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80);
      unfolded += line.substr(1);
    } else {
      unfolded += "\n" + line;
    }
  }
  EXPECT_NE(unfolded.find("\n" + note + "\n"), std::string::npos);
  auto again = Vcard::Parse(out, {});
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again->properties().back().value, note.substr(5));
}

TEST(VcardSplit, ExportWithMixedVersionsAndLineEndsGivesEachCard) {
  const std::string first =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Ann\r\n"
      "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n SkZJRg==\r\nEND:VCARD\r\n";
  const std::string second = "BEGIN:VCARD\nVERSION:4.0\nFN:Bob\nEND:VCARD\n";
  const std::string third = "begin:vcard\nversion:4.0\nuid:c\nfn:Cy\nend:vcard";
  const SplitCards split = SplitVcards("\xEF\xBB\xBF" + first + "\n" + second + third, {});
  EXPECT_TRUE(split.refused.empty()) << split.refused.front();
  ASSERT_EQ(split.cards.size(), 3u);
  EXPECT_EQ(split.cards[0].uid, "a");
  EXPECT_EQ(split.cards[0].text, first);
  EXPECT_EQ(split.cards[1].uid, "");  // No UID: the importer assigns one.
  EXPECT_EQ(split.cards[1].text, second);
  EXPECT_EQ(split.cards[2].uid, "c");
  EXPECT_EQ(split.cards[2].text, third);
}

TEST(VcardSplit, RefusedCardsAreNamedByNumberAndLineInTheFile) {
  const std::string text =
      "BEGIN:VCARD\nVERSION:4.0\nFN:Ann\nEND:VCARD\n"              // Lines 1-4.
      "BEGIN:VCARD\nVERSION:4.0\nFN:Bob\nTEL;WORK:1\nEND:VCARD\n"  // Lines 5-9.
      "BEGIN:VCARD\nVERSION:2.1\nFN:Cy\nEND:VCARD\n"               // Lines 10-13.
      "BEGIN:VCARD\nVERSION:3.0\nFN:Di\nEND:VCARD\n";              // Lines 14-17.
  const SplitCards split = SplitVcards(text, {});
  ASSERT_EQ(split.cards.size(), 2u);
  EXPECT_EQ(split.cards[1].text, "BEGIN:VCARD\nVERSION:3.0\nFN:Di\nEND:VCARD\n");
  EXPECT_EQ(
      split.refused,
      (std::vector<std::string>{
          "card 2 (line 5): line 8: parameter without '=' (vCard 4.0 has no bare TYPE values)",
          "card 3 (line 10): line 11: vCard version 2.1 is not supported (3.0 and 4.0 are)"}));
}

TEST(VcardSplit, CardWithoutEndIsRefusedAndTheNextOneKept) {
  const SplitCards split = SplitVcards(
      "BEGIN:VCARD\nVERSION:4.0\nFN:Ann\n"
      "BEGIN:VCARD\nVERSION:4.0\nFN:Bob\nEND:VCARD\n"
      "BEGIN:VCARD\nVERSION:4.0\nFN:Cy\n",
      {});
  ASSERT_EQ(split.cards.size(), 1u);
  EXPECT_NE(split.cards[0].text.find("FN:Bob"), std::string::npos);
  EXPECT_EQ(split.refused,
            (std::vector<std::string>{"card 1 (line 1): BEGIN:VCARD before its END:VCARD",
                                      "card 3 (line 8): BEGIN:VCARD without END:VCARD"}));
}

TEST(VcardSplit, TextOutsideCardsIsReportedOncePerRun) {
  const SplitCards split = SplitVcards(
      "Exported by Contacts\nfor Jane\n\nBEGIN:VCARD\nVERSION:4.0\nFN:Ann\nEND:VCARD\n", {});
  EXPECT_EQ(split.cards.size(), 1u);
  EXPECT_EQ(split.refused,
            (std::vector<std::string>{"line 1: text outside BEGIN:VCARD … END:VCARD"}));
}

TEST(CardWriter, EscapesFoldsAndParsesBack) {
  const std::string long_name(90, 'a');
  const std::string text = CardWriter("3.0")
                               .Text("UID", "directory:acme:jo")
                               .Text("FN", "Jo, the; back\\slash\nnext " + long_name)
                               .Structured("N", {"Doe;Smith", "Jo", "", "", ""})
                               .Text("EMAIL", "jo@acme.example", ";TYPE=INTERNET")
                               .Finish();
  for (const auto& line : PhysicalLines(text)) EXPECT_LE(line.size(), 75U) << line;
  auto card = Vcard::Parse(text, {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(card->uid(), "directory:acme:jo");
  EXPECT_EQ(card->formatted_name(), "Jo, the; back\\slash\nnext " + long_name);
  EXPECT_NE(text.find("N:Doe\\;Smith;Jo;;;\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("EMAIL;TYPE=INTERNET:jo@acme.example\r\n"), std::string::npos);
}

}  // namespace
}  // namespace regie::formats::vcard
