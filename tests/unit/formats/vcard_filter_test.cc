// addressbook-query filters, RFC 6352 §10.5.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "formats/vcard/vcard.h"

namespace regie::formats::vcard {
namespace {

using text::Collation;
using text::MatchType;
using text::TextMatch;

Vcard Parse(std::string_view body, std::string_view version = "4.0") {
  auto card = Vcard::Parse("BEGIN:VCARD\nVERSION:" + std::string(version) +
                               "\nUID:u1\nFN:Jane Doe\n" + std::string(body) + "END:VCARD\n",
                           {});
  EXPECT_TRUE(card) << card.error().detail;
  return *card;
}

const Vcard& Jane() {
  static const Vcard card = Parse(
      "N:Doe;Jane;;Dr.;\n"
      "item1.EMAIL;TYPE=work:jane@acme.example\n"
      "EMAIL;TYPE=home,pref:jane.doe@mail.example\n"
      "ADR;TYPE=home:;;Hauptstraße 5;Köln;;50667;Germany\n"
      "NOTE:Met at the fair\\, Istanbul\\; liked tea\n"
      "CATEGORIES:friends,work\n");
  return card;
}

using FilterTest = regie::formats::vcard::Test;  // TEST bodies see testing::Test as Test.

// Builders: designated initializers would leave vector members unnamed, which
// -Wmissing-field-initializers refuses.
CardFilter One(PropFilter prop) {
  CardFilter filter;
  filter.props.push_back(std::move(prop));
  return filter;
}

PropFilter Prop(std::string name, FilterTest test = FilterTest::kAnyOf) {
  PropFilter prop;
  prop.name = std::move(name);
  prop.test = test;
  return prop;
}

PropFilter Absent(std::string name) {
  PropFilter prop = Prop(std::move(name));
  prop.is_not_defined = true;
  return prop;
}

PropFilter Text(std::string name, TextMatch match) {
  PropFilter prop = Prop(std::move(name));
  prop.text_matches.push_back(std::move(match));
  return prop;
}

PropFilter WithParam(PropFilter prop, std::string name, std::optional<TextMatch> match) {
  prop.params.push_back(ParamFilter{std::move(name), false, std::move(match)});
  return prop;
}

PropFilter WithParamAbsent(PropFilter prop, std::string name) {
  prop.params.push_back(ParamFilter{std::move(name), true, std::nullopt});
  return prop;
}

TextMatch Negated(TextMatch match) {
  match.negate = true;
  return match;
}

TextMatch Match(std::string text, MatchType type = MatchType::kContains,
                Collation collation = Collation::kAsciiCasemap) {
  return TextMatch{.text = std::move(text), .collation = collation, .match = type};
}

TEST(VcardFilter, NoFilterMatchesEveryCard) { EXPECT_TRUE(Jane().Matches(CardFilter{})); }

TEST(VcardFilter, EmptyPropFilterTestsThatThePropertyExists) {
  EXPECT_TRUE(Jane().Matches(One(Prop("EMAIL"))));
  EXPECT_FALSE(Jane().Matches(One(Prop("TEL"))));
}

TEST(VcardFilter, IsNotDefinedMatchesOnlyWhenThePropertyIsAbsent) {
  EXPECT_TRUE(Jane().Matches(One(Absent("TEL"))));
  EXPECT_FALSE(Jane().Matches(One(Absent("EMAIL"))));
}

TEST(VcardFilter, GroupedPropertyMatchesByItsName) {
  const Vcard card = Parse("item7.TEL:+1 555 0100\n");
  EXPECT_TRUE(card.Matches(One(Text("TEL", Match("0100")))));
  EXPECT_TRUE(card.Matches(One(Text("tel", Match("555")))));  // Names are case-insensitive.
}

TEST(VcardFilter, MatchTypesCompareAsNamed) {
  EXPECT_TRUE(Jane().Matches(One(Text("EMAIL", Match("jane@acme.example", MatchType::kEquals)))));
  EXPECT_FALSE(Jane().Matches(One(Text("EMAIL", Match("jane@acme", MatchType::kEquals)))));
  EXPECT_TRUE(Jane().Matches(One(Text("EMAIL", Match("jane.doe@", MatchType::kStartsWith)))));
  EXPECT_FALSE(Jane().Matches(One(Text("EMAIL", Match("acme", MatchType::kStartsWith)))));
  EXPECT_TRUE(Jane().Matches(One(Text("EMAIL", Match("@mail.example", MatchType::kEndsWith)))));
  EXPECT_FALSE(Jane().Matches(One(Text("EMAIL", Match("@mail", MatchType::kEndsWith)))));
  EXPECT_TRUE(Jane().Matches(One(Text("EMAIL", Match("ACME")))));  // ascii-casemap by default.
}

TEST(VcardFilter, OctetCollationIsCaseSensitive) {
  EXPECT_TRUE(
      Jane().Matches(One(Text("FN", Match("Doe", MatchType::kContains, Collation::kOctet)))));
  EXPECT_FALSE(
      Jane().Matches(One(Text("FN", Match("doe", MatchType::kContains, Collation::kOctet)))));
}

TEST(VcardFilter, UnicodeCasemapFindsSharpSDottedIAndDecomposedAccents) {
  const auto unicode = [](std::string text, MatchType type = MatchType::kContains) {
    return Match(std::move(text), type, Collation::kUnicodeCasemap);
  };
  EXPECT_TRUE(Jane().Matches(One(Text("ADR", unicode("HAUPTSTRASSE")))));
  EXPECT_TRUE(Jane().Matches(One(Text("ADR", unicode("ko\xCC\x88ln")))));  // NFD "köln".
  EXPECT_FALSE(Jane().Matches(One(Text("ADR", Match("HAUPTSTRASSE")))));   // Not under ASCII.
  const Vcard istanbul = Parse("ORG:\xC4\xB0stanbul Tea House\n");
  EXPECT_TRUE(
      istanbul.Matches(One(Text("ORG", unicode("i\xCC\x87stanbul", MatchType::kStartsWith)))));
  EXPECT_FALSE(istanbul.Matches(One(Text("ORG", unicode("istanbul", MatchType::kStartsWith)))));
}

TEST(VcardFilter, StructuredValuesMatchAsWordsAndAsComponents) {
  EXPECT_FALSE(Jane().Matches(One(Text("N", Match("Jane Dr.", MatchType::kEquals)))));
  EXPECT_TRUE(Jane().Matches(One(Text("N", Match("Doe Jane Dr.", MatchType::kEquals)))));
  EXPECT_TRUE(Jane().Matches(One(Text("N", Match("jane", MatchType::kEquals)))));
  EXPECT_TRUE(Jane().Matches(One(Text("ADR", Match("5 Köln")))));
  EXPECT_TRUE(Jane().Matches(One(Text("ADR", Match("50667", MatchType::kEquals)))));
  EXPECT_TRUE(Jane().Matches(One(Text("CATEGORIES", Match("work", MatchType::kEquals)))));
}

TEST(VcardFilter, EscapedTextIsMatchedUnescaped) {
  EXPECT_TRUE(Jane().Matches(One(Text("NOTE", Match("fair, Istanbul; liked")))));
  EXPECT_FALSE(Jane().Matches(One(Text("NOTE", Match("\\,")))));
}

TEST(VcardFilter, NegateConditionInvertsTheMatch) {
  // One EMAIL is not at acme, so the card matches.
  EXPECT_TRUE(Jane().Matches(One(Text("EMAIL", Negated(Match("acme"))))));
  EXPECT_FALSE(Jane().Matches(One(Text("NOTE", Negated(Match("tea"))))));
}

TEST(VcardFilter, PropFilterTestCombinesItsConditionsOnOneProperty) {
  PropFilter both = Prop("EMAIL", FilterTest::kAllOf);
  both.text_matches = {Match("jane@"), Match("mail.example")};
  // Each condition holds for some EMAIL, but no single EMAIL meets both.
  EXPECT_FALSE(Jane().Matches(One(both)));
  both.test = FilterTest::kAnyOf;
  EXPECT_TRUE(Jane().Matches(One(both)));
  both.test = FilterTest::kAllOf;
  both.text_matches = {Match("jane.doe@"), Match("mail.example")};
  EXPECT_TRUE(Jane().Matches(One(both)));
}

TEST(VcardFilter, FilterTestCombinesPropFilters) {
  CardFilter filter = One(Prop("EMAIL"));
  filter.props.push_back(Prop("TEL"));
  filter.test = FilterTest::kAllOf;
  EXPECT_FALSE(Jane().Matches(filter));
  filter.test = FilterTest::kAnyOf;
  EXPECT_TRUE(Jane().Matches(filter));
}

TEST(VcardFilter, ParamFilterTextMatchesEachValue) {
  EXPECT_TRUE(
      Jane().Matches(One(WithParam(Prop("EMAIL"), "TYPE", Match("HOME", MatchType::kEquals)))));
  EXPECT_FALSE(
      Jane().Matches(One(WithParam(Prop("EMAIL"), "TYPE", Match("cell", MatchType::kEquals)))));
}

TEST(VcardFilter, NegatedParamMatchFailsWhenAnyValueMatches) {
  const TextMatch not_pref = Negated(Match("pref", MatchType::kEquals));
  EXPECT_TRUE(Jane().Matches(One(WithParam(Prop("ADR"), "TYPE", not_pref))));  // TYPE=home only.
  const Vcard card = Parse("EMAIL;TYPE=home,pref:j@example.com\n");
  EXPECT_FALSE(card.Matches(One(WithParam(Prop("EMAIL"), "TYPE", not_pref))));
}

TEST(VcardFilter, ParamFilterExistenceAndIsNotDefined) {
  const Vcard card = Parse("TEL;TYPE=cell:+1 555 0100\nTEL:+1 555 0199\n");
  EXPECT_TRUE(card.Matches(One(WithParam(Prop("TEL"), "TYPE", std::nullopt))));
  EXPECT_FALSE(card.Matches(One(WithParam(Prop("TEL"), "PREF", std::nullopt))));
  EXPECT_TRUE(card.Matches(One(WithParamAbsent(Prop("TEL"), "TYPE"))));  // The second TEL.
  EXPECT_FALSE(Jane().Matches(One(WithParamAbsent(Prop("EMAIL"), "TYPE"))));
}

TEST(VcardFilter, Version30BareTypeMatchesAsType) {
  const Vcard card = Parse("N:Doe;Jane;;;\nTEL;WORK;VOICE:+1 555 0100\n", "3.0");
  PropFilter work =
      WithParam(Prop("TEL", FilterTest::kAllOf), "TYPE", Match("work", MatchType::kEquals));
  work.text_matches = {Match("555")};
  EXPECT_TRUE(card.Matches(One(work)));
}

TEST(VcardFilter, AllOfWithTextAndParamNeedsTheSameProperty) {
  // The home address is not at acme, the work one is not home.
  PropFilter home_at_acme =
      WithParam(Prop("EMAIL", FilterTest::kAllOf), "TYPE", Match("home", MatchType::kEquals));
  home_at_acme.text_matches = {Match("acme")};
  EXPECT_FALSE(Jane().Matches(One(home_at_acme)));
  home_at_acme.test = FilterTest::kAnyOf;
  EXPECT_TRUE(Jane().Matches(One(home_at_acme)));
}

}  // namespace
}  // namespace regie::formats::vcard
