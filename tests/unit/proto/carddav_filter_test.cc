// CARDDAV:filter and CARDDAV:address-data inside addressbook-query bodies: what a search will
// match and return, and the 400s and preconditions a client sees when it asks for something
// malformed or unsupported.
#include <gtest/gtest.h>

#include <variant>

#include "proto/carddav/carddav_requests.h"

namespace regie::proto::carddav {
namespace {

using formats::text::Collation;
using formats::text::MatchType;
using CardTest = formats::vcard::Test;

const formats::xml::XmlLimits kLimits;

std::string QueryWithFilter(std::string_view filter) {
  return std::string(R"(<C:addressbook-query xmlns:D="DAV:" )"
                     R"(xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop>)") +
         std::string(filter) + "</C:addressbook-query>";
}

std::string QueryWithData(std::string_view address_data) {
  return std::string(R"(<C:addressbook-query xmlns:D="DAV:" )"
                     R"(xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop>)") +
         std::string(address_data) + "</D:prop><C:filter/></C:addressbook-query>";
}

AddressbookQuery Query(const std::string& body) {
  auto r = ParseAddressbookReport(body, kLimits);
  EXPECT_TRUE(r) << body << "\n" << (r ? "" : r.error().message);
  if (!r || !std::holds_alternative<AddressbookQuery>(*r)) return {};
  return std::get<AddressbookQuery>(*r);
}

void ExpectBadRequest(const std::string& body) {
  auto r = ParseAddressbookReport(body, kLimits);
  ASSERT_FALSE(r) << body;
  EXPECT_EQ(r.error().code, Errc::kInvalidInput) << body << "\n" << r.error().message;
}

void ExpectPrecondition(const std::string& body, std::string_view condition) {
  auto r = ParseAddressbookReport(body, kLimits);
  ASSERT_FALSE(r) << body;
  EXPECT_EQ(r.error().code, Errc::kForbidden) << body << "\n" << r.error().message;
  EXPECT_EQ(r.error().condition, (QName{std::string(kCardDavNs), std::string(condition)})) << body;
}

TEST(CarddavFilter, EmptyFilterMatchesEveryCard) {
  const auto q = Query(QueryWithFilter("<C:filter/>"));
  EXPECT_EQ(q.filter.test, CardTest::kAnyOf);
  EXPECT_TRUE(q.filter.props.empty());
}

TEST(CarddavFilter, TextMatchDefaultsToUnicodeCasemapAndContains) {
  // RFC 6352 §10.5.4: CardDAV's default collation differs from CalDAV's.
  const auto q = Query(
      QueryWithFilter(R"(<C:filter><C:prop-filter name="fn"><C:text-match>Straße</C:text-match>)"
                      R"(</C:prop-filter></C:filter>)"));
  ASSERT_EQ(q.filter.props.size(), 1u);
  EXPECT_EQ(q.filter.props[0].name, "FN");
  EXPECT_EQ(q.filter.props[0].test, CardTest::kAnyOf);
  ASSERT_EQ(q.filter.props[0].text_matches.size(), 1u);
  const auto& match = q.filter.props[0].text_matches[0];
  EXPECT_EQ(match.text, "Straße");
  EXPECT_EQ(match.collation, Collation::kUnicodeCasemap);
  EXPECT_EQ(match.match, MatchType::kContains);
  EXPECT_FALSE(match.negate);
}

TEST(CarddavFilter, AnyofSearchAcrossNameAndEmail) {
  // RFC 6352 §8.6.5: a search as a client's search box sends it.
  const auto q = Query(QueryWithFilter(R"(<C:filter test="anyof">
    <C:prop-filter name="FN">
      <C:text-match collation="i;unicode-casemap" match-type="contains">daboo</C:text-match>
    </C:prop-filter>
    <C:prop-filter name="EMAIL">
      <C:text-match collation="i;unicode-casemap" match-type="starts-with">daboo</C:text-match>
    </C:prop-filter>
  </C:filter>)"));
  EXPECT_EQ(q.filter.test, CardTest::kAnyOf);
  ASSERT_EQ(q.filter.props.size(), 2u);
  EXPECT_EQ(q.filter.props[1].name, "EMAIL");
  EXPECT_EQ(q.filter.props[1].text_matches.at(0).match, MatchType::kStartsWith);
}

TEST(CarddavFilter, AllofPropFilterWithParamsAndNegation) {
  const auto q = Query(QueryWithFilter(
      R"(<C:filter test="allof"><C:prop-filter name="TEL" test="allof">)"
      R"(<C:text-match match-type="ends-with" collation="i;octet">42</C:text-match>)"
      R"(<C:text-match negate-condition="yes">+49</C:text-match>)"
      R"(<C:param-filter name="type"><C:text-match match-type="equals">cell</C:text-match>)"
      R"(</C:param-filter><C:param-filter name="PREF"><C:is-not-defined/></C:param-filter>)"
      R"(</C:prop-filter><C:prop-filter name="X-ABShowAs"><C:is-not-defined/></C:prop-filter>)"
      R"(</C:filter>)"));
  EXPECT_EQ(q.filter.test, CardTest::kAllOf);
  ASSERT_EQ(q.filter.props.size(), 2u);
  const auto& tel = q.filter.props[0];
  EXPECT_EQ(tel.test, CardTest::kAllOf);
  ASSERT_EQ(tel.text_matches.size(), 2u);
  EXPECT_EQ(tel.text_matches[0].collation, Collation::kOctet);
  EXPECT_EQ(tel.text_matches[0].match, MatchType::kEndsWith);
  EXPECT_TRUE(tel.text_matches[1].negate);
  ASSERT_EQ(tel.params.size(), 2u);
  EXPECT_EQ(tel.params[0].name, "TYPE");
  ASSERT_TRUE(tel.params[0].text_match);
  EXPECT_EQ(tel.params[0].text_match->match, MatchType::kEquals);
  EXPECT_TRUE(tel.params[1].is_not_defined);
  EXPECT_EQ(q.filter.props[1].name, "X-ABSHOWAS");
  EXPECT_TRUE(q.filter.props[1].is_not_defined);
}

TEST(CarddavFilter, UnknownCollationIsAPrecondition) {
  ExpectPrecondition(QueryWithFilter(R"(<C:filter><C:prop-filter name="FN">)"
                                     R"(<C:text-match collation="i;basic">x</C:text-match>)"
                                     R"(</C:prop-filter></C:filter>)"),
                     "supported-collation");
}

TEST(CarddavFilter, MalformedFiltersAreRefused) {
  for (std::string_view filter : {
           R"(<C:filter test="oneof"/>)",
           R"(<C:filter><C:prop-filter/></C:filter>)",
           R"(<C:filter><C:prop-filter name="FN" test="all"/></C:filter>)",
           R"(<C:filter><C:prop-filter name="FN"><C:text-match match-type="regex">x)"
           R"(</C:text-match></C:prop-filter></C:filter>)",
           R"(<C:filter><C:prop-filter name="FN"><C:text-match negate-condition="true">x)"
           R"(</C:text-match></C:prop-filter></C:filter>)",
           R"(<C:filter><C:prop-filter name="FN"><C:is-not-defined/><C:text-match>x)"
           R"(</C:text-match></C:prop-filter></C:filter>)",
           R"(<C:filter><C:prop-filter name="TEL"><C:param-filter name="TYPE">)"
           R"(<C:is-not-defined/><C:text-match>x</C:text-match></C:param-filter>)"
           R"(</C:prop-filter></C:filter>)",
           R"(<C:filter><C:prop-filter name="TEL"><C:param-filter/></C:prop-filter></C:filter>)",
       }) {
    ExpectBadRequest(QueryWithFilter(filter));
  }
}

TEST(CarddavFilter, AddressDataAllpropReturnsEverything) {
  const auto q = Query(QueryWithData(R"(<C:address-data><C:allprop/></C:address-data>)"));
  ASSERT_TRUE(q.data);
  EXPECT_TRUE(q.data->all_props);
  EXPECT_TRUE(q.data->props.empty());
}

TEST(CarddavFilter, AddressDataContradictionsAndNamelessPropsAreRefused) {
  ExpectBadRequest(
      QueryWithData(R"(<C:address-data><C:allprop/><C:prop name="FN"/></C:address-data>)"));
  ExpectBadRequest(QueryWithData(R"(<C:address-data><C:prop/></C:address-data>)"));
}

TEST(CarddavFilter, OnlyVcardThreeAndFourAreSupportedAddressData) {
  const auto q = Query(
      QueryWithData(R"(<C:address-data content-type="TEXT/VCARD; charset=utf-8" version="3.0"/>)"));
  ASSERT_TRUE(q.data);
  EXPECT_EQ(q.data->content_type, "text/vcard");
  ExpectPrecondition(QueryWithData(R"(<C:address-data content-type="application/vcard+json"/>)"),
                     "supported-address-data");
  ExpectPrecondition(QueryWithData(R"(<C:address-data version="2.1"/>)"), "supported-address-data");
  ExpectPrecondition(QueryWithData(R"(<C:address-data content-type="text/x-vcard"/>)"),
                     "supported-address-data");
}

}  // namespace
}  // namespace regie::proto::carddav
