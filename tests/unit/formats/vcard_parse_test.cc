#include <gtest/gtest.h>

#include <string>

#include "formats/vcard/vcard.h"

namespace regie::formats::vcard {
namespace {

// Test cards are written with \n; Crlf() gives them the line ends of the wire.
std::string Crlf(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

std::string Card(std::string_view version, std::string_view body) {
  return Crlf("BEGIN:VCARD\nVERSION:" + std::string(version) + "\nUID:u1\nFN:Jane Doe\n" +
              std::string(body) + "END:VCARD\n");
}

const Property* Find(const Vcard& card, std::string_view name) {
  for (const auto& p : card.properties()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> Values(const Property& p, std::string_view name) {
  for (const auto& param : p.params) {
    if (param.name == name) return param.values;
  }
  return {};
}

// The detail of a refused card, with a check that it is a valid-address-data refusal.
std::string Refusal(std::string_view text, const VcardLimits& limits = {}) {
  auto card = Vcard::Parse(text, limits);
  if (card) return "accepted";
  EXPECT_EQ(card.error().code, Errc::kForbidden);
  EXPECT_EQ(card.error().condition, (QName{std::string(kCardDavNs), "valid-address-data"}));
  return card.error().detail;
}

TEST(VcardParse, Version40CardGivesItsPropertiesInOrder) {
  auto card = Vcard::Parse(Card("4.0", "N:Doe;Jane;;;\nEMAIL:jane@example.com\n"), {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(card->version(), "4.0");
  EXPECT_EQ(card->uid(), "u1");
  EXPECT_EQ(card->formatted_name(), "Jane Doe");
  ASSERT_EQ(card->properties().size(), 5u);  // BEGIN and END are not properties.
  EXPECT_EQ(card->properties()[0].name, "VERSION");
  EXPECT_EQ(card->properties()[4].name, "EMAIL");
  EXPECT_EQ(card->properties()[4].value, "jane@example.com");
}

TEST(VcardParse, Version30BareTypesReadAsTypeValues) {
  auto card = Vcard::Parse(Card("3.0", "N:Doe;Jane;;;\nTEL;WORK;VOICE:+1 555 0100\n"), {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(card->version(), "3.0");
  const Property* tel = Find(*card, "TEL");
  ASSERT_NE(tel, nullptr);
  EXPECT_EQ(Values(*tel, "TYPE"), (std::vector<std::string>{"WORK", "VOICE"}));
  EXPECT_EQ(tel->value, "+1 555 0100");
}

TEST(VcardParse, BareTypeIsRefusedInVersion40WithItsLine) {
  EXPECT_EQ(Refusal(Card("4.0", "TEL;WORK:+1 555 0100\n")),
            "line 5: parameter without '=' (vCard 4.0 has no bare TYPE values)");
}

TEST(VcardParse, FoldedLineSplitInsideUtf8SequenceIsJoined) {
  // "café" folded between the two bytes of "é" (C3 A9).
  auto card = Vcard::Parse(Card("4.0", "NOTE:caf\xC3\n \xA9 au lait\n"), {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(Find(*card, "NOTE")->value, "caf\xC3\xA9 au lait");
}

TEST(VcardParse, BareLfLineEndsAndTabFoldsAreAccepted) {
  auto card = Vcard::Parse(
      "BEGIN:VCARD\nVERSION:3.0\nUID:u1\nFN:Jane\n\tDoe\nNOTE:one\n  two\nEND:VCARD\n", {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(card->formatted_name(), "JaneDoe");      // A fold removes exactly one white space.
  EXPECT_EQ(Find(*card, "NOTE")->value, "one two");  // The second space is the value's.
}

TEST(VcardParse, LoneCarriageReturnIsRefusedWithItsLine) {
  EXPECT_EQ(Refusal(Card("4.0", "NOTE:one\rtwo\n")), "line 5: CR without LF");
}

TEST(VcardParse, InvalidUtf8AndControlCharactersAreRefused) {
  EXPECT_EQ(Refusal(Card("4.0", "NOTE:caf\xE9\n")), "line 5: invalid UTF-8");
  EXPECT_EQ(Refusal(Card("4.0", "NOTE:\xED\xA0\x80\n")), "line 5: invalid UTF-8");  // Surrogate.
  EXPECT_EQ(Refusal(Card("4.0", "NOTE:bell\x07\n")), "line 5: control character 0x07");
}

TEST(VcardParse, GroupedPropertyKeepsGroupAndUpperCasesNames) {
  auto card = Vcard::Parse(Card("3.0",
                                "item1.email;type=INTERNET:jane@example.com\n"
                                "item1.X-ABLabel:_$!<Work>!$_\n"),
                           {});
  ASSERT_TRUE(card) << card.error().detail;
  const Property* email = Find(*card, "EMAIL");
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->group, "item1");
  EXPECT_EQ(Values(*email, "TYPE"), (std::vector<std::string>{"INTERNET"}));
  EXPECT_EQ(Find(*card, "X-ABLABEL")->group, "item1");
}

TEST(VcardParse, QuotedParameterValueMayHoldColonSemicolonAndComma) {
  auto card = Vcard::Parse(
      Card("4.0",
           "ADR;LABEL=\"Main St. 1; Suite: 5, top\";TYPE=work:;;Main St. 1;Springfield;;;\n"),
      {});
  ASSERT_TRUE(card) << card.error().detail;
  const Property* adr = Find(*card, "ADR");
  EXPECT_EQ(Values(*adr, "LABEL"), (std::vector<std::string>{"Main St. 1; Suite: 5, top"}));
  EXPECT_EQ(Values(*adr, "TYPE"), (std::vector<std::string>{"work"}));
  EXPECT_EQ(adr->value, ";;Main St. 1;Springfield;;;");
}

TEST(VcardParse, CaretEscapesInParameterValuesAreDecoded) {
  auto card = Vcard::Parse(
      Card("4.0", "ADR;LABEL=\"Main St.^nSpringfield ^'the ^^ one^' ^x\":;;;;;;\n"), {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(Values(*Find(*card, "ADR"), "LABEL"),
            (std::vector<std::string>{"Main St.\nSpringfield \"the ^ one\" ^x"}));
}

TEST(VcardParse, TypeListsGiveOneValueEachAndRepeatsMerge) {
  auto card = Vcard::Parse(Card("4.0", "TEL;TYPE=work,voice;TYPE=\"cell,pref\":+1 555 0100\n"), {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(Values(*Find(*card, "TEL"), "TYPE"),
            (std::vector<std::string>{"work", "voice", "cell", "pref"}));
}

TEST(VcardParse, MalformedContentLinesAreRefusedWithLineAndReason) {
  EXPECT_EQ(Refusal(Card("4.0", "TEL;TYPE=\"work:+1 555 0100\n")),
            "line 5: unterminated quoted value of parameter TYPE");
  EXPECT_EQ(Refusal(Card("4.0", "TEL;=work:+1\n")),
            "line 5: unexpected '=' where a parameter name is");
  EXPECT_EQ(Refusal(Card("4.0", "NOTE hello\n")),
            "line 5: unexpected white space after property name NOTE (expected ':' or ';')");
  EXPECT_EQ(Refusal(Card("4.0", ":hello\n")), "line 5: unexpected ':' where a property name is");
  EXPECT_EQ(Refusal(Card("4.0", "TEL;TYPE=wo\"rk:+1\n")),
            "line 5: '\"' inside the unquoted value of parameter TYPE");
  EXPECT_EQ(Refusal(Card("4.0", "TEL;TYPE=\"work\"x:+1\n")),
            "line 5: unexpected 'x' after the value of parameter TYPE");
}

TEST(VcardParse, TextUnescapesValuesAndJoinsComponentsWithSpaces) {
  auto card = Vcard::Parse(Card("4.0",
                                "N:Doe;Jane;Q.,R.;Dr.;\n"
                                "NOTE:line\\nnext\\, then\\; more \\\\ end\n"
                                "ORG:Acme, Inc.;Sales\n"
                                "CATEGORIES:friends,work\n"),
                           {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(Find(*card, "N")->text(), "Doe Jane Q. R. Dr.");
  EXPECT_EQ(Find(*card, "NOTE")->text(), "line\nnext, then; more \\ end");
  EXPECT_EQ(Find(*card, "ORG")->text(), "Acme, Inc. Sales");
  EXPECT_EQ(Find(*card, "CATEGORIES")->text(), "friends work");
}

TEST(VcardParse, VersionOtherThan30And40IsUnsupportedAddressData) {
  // A 2.1 card: its quoted-printable soft break would be a syntax error, the version comes first.
  auto card = Vcard::Parse(Crlf("BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE:D=\noe\n"
                                "FN:Jane\nEND:VCARD\n"),
                           {});
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().condition, (QName{std::string(kCardDavNs), "supported-address-data"}));
  EXPECT_EQ(card.error().detail, "line 2: vCard version 2.1 is not supported (3.0 and 4.0 are)");
  EXPECT_FALSE(Vcard::Parse(Card("5.0", ""), {}));
}

TEST(VcardParse, VersionFnAndUidRulesAreEnforced) {
  EXPECT_EQ(Refusal(Crlf("BEGIN:VCARD\nUID:u\nFN:J\nEND:VCARD\n")), "VERSION missing");
  EXPECT_EQ(Refusal(Card("4.0", "VERSION:4.0\n")), "line 5: VERSION given twice");
  EXPECT_EQ(Refusal(Crlf("BEGIN:VCARD\nVERSION:4.0\nUID:u\nN:Doe;J;;;\nEND:VCARD\n")),
            "FN missing");
  EXPECT_EQ(Refusal(Crlf("BEGIN:VCARD\nVERSION:4.0\nFN:J\nEND:VCARD\n")),
            "UID missing (a stored vCard needs one, RFC 6352 §5.1)");
  EXPECT_EQ(Refusal(Card("4.0", "UID:u2\n")), "line 5: UID given twice");
  EXPECT_EQ(Refusal(Crlf("BEGIN:VCARD\nVERSION:4.0\nUID: \nFN:J\nEND:VCARD\n")),
            "line 3: UID is empty");
}

TEST(VcardParse, MissingUidIsAcceptedWhenOptional) {
  auto card =
      Vcard::Parse(Crlf("BEGIN:VCARD\nVERSION:4.0\nFN:J\nEND:VCARD\n"), {}, UidRule::kOptional);
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(card->uid(), "");
}

TEST(VcardParse, Version30WithoutNIsAccepted) {
  EXPECT_TRUE(Vcard::Parse(Card("3.0", "ORG:Acme\n"), {}));
}

TEST(VcardParse, FrameMustBeOneVcard) {
  EXPECT_EQ(Refusal(""), "no vCard: the text is empty");
  EXPECT_EQ(Refusal(Crlf("VERSION:4.0\nBEGIN:VCARD\n")), "line 1: expected BEGIN:VCARD");
  EXPECT_EQ(Refusal(Crlf("BEGIN:VCARD\nVERSION:4.0\nFN:J\n")),
            "line 3: END:VCARD missing at the end");
  EXPECT_EQ(Refusal(Card("4.0", "") + Card("4.0", "")),
            "line 6: a second vCard (an address object holds one)");
  EXPECT_EQ(Refusal(Card("4.0", "") + "NOTE:x\r\n"), "line 6: text after END:VCARD");
  EXPECT_EQ(Refusal(Card("3.0", "AGENT:\nBEGIN:VCARD\nFN:Agent\nEND:VCARD\n")),
            "line 6: BEGIN:VCARD inside a vCard (a nested AGENT vCard must be an escaped value)");
}

TEST(VcardParse, AgentVcardAsEscapedValueIsKept) {
  auto card = Vcard::Parse(
      Card("3.0", "AGENT:BEGIN:VCARD\\nVERSION:3.0\\nFN:Agent Smith\\nEND:VCARD\\n\n"), {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(Find(*card, "AGENT")->text(), "BEGIN:VCARD\nVERSION:3.0\nFN:Agent Smith\nEND:VCARD\n");
}

TEST(VcardParse, BlankLinesByteOrderMarkAndLowerCaseAreTolerated) {
  auto card = Vcard::Parse(
      "\xEF\xBB\xBF\r\nbegin:vcard\r\nversion:4.0\r\n\r\nuid:u1\r\nfn:J\r\n"
      "end:vcard\r\n\r\n",
      {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(card->uid(), "u1");
  EXPECT_EQ(card->formatted_name(), "J");
}

}  // namespace
}  // namespace regie::formats::vcard
