// CardDAV REPORT bodies as the common clients send them: which report, which properties, which
// hrefs, which limit, and the 400s a malformed body earns. Filters: carddav_filter_test.cc.
#include <gtest/gtest.h>

#include <variant>

#include "proto/carddav/carddav_requests.h"

namespace regie::proto::carddav {
namespace {

const formats::xml::XmlLimits kLimits;

QName Dav(std::string_view local) { return QName{"DAV:", std::string(local)}; }
QName Card(std::string_view local) { return QName{std::string(kCardDavNs), std::string(local)}; }

template <typename T>
T Expect(std::string_view body) {
  auto r = ParseAddressbookReport(body, kLimits);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  if (!r) return T{};
  EXPECT_TRUE(std::holds_alternative<T>(*r)) << "report index " << r->index();
  return std::holds_alternative<T>(*r) ? std::get<T>(*r) : T{};
}

void ExpectBadRequest(std::string_view body) {
  auto r = ParseAddressbookReport(body, kLimits);
  ASSERT_FALSE(r) << body;
  EXPECT_EQ(r.error().code, Errc::kInvalidInput) << r.error().message;
  EXPECT_FALSE(r.error().detail.empty());
}

TEST(CarddavReport, DavxMultigetAsksForVcardFour) {
  const auto m = Expect<AddressbookMultiget>(
      R"(<CARD:addressbook-multiget xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav">)"
      R"(<prop><getcontenttype/><getetag/><CARD:address-data content-type="text/vcard" )"
      R"(version="4.0"/></prop><href>/dav/addressbooks/alice/contacts/1.vcf</href>)"
      R"(<href>/dav/addressbooks/alice/contacts/2.vcf</href></CARD:addressbook-multiget>)");
  EXPECT_EQ(m.props.props,
            (std::vector<QName>{Dav("getcontenttype"), Dav("getetag"), Card("address-data")}));
  ASSERT_TRUE(m.data);
  EXPECT_EQ(m.data->content_type, "text/vcard");
  EXPECT_EQ(m.data->version, "4.0");
  EXPECT_TRUE(m.data->all_props);
  EXPECT_EQ(m.hrefs, (std::vector<std::string>{"/dav/addressbooks/alice/contacts/1.vcf",
                                               "/dav/addressbooks/alice/contacts/2.vcf"}));
}

TEST(CarddavReport, PlainAddressDataMeansVcardThree) {
  const auto m = Expect<AddressbookMultiget>(
      R"(<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">)"
      R"(<D:prop><D:getetag/><C:address-data/></D:prop><D:href>/a.vcf</D:href>)"
      R"(</C:addressbook-multiget>)");
  ASSERT_TRUE(m.data);
  EXPECT_EQ(m.data->version, "3.0");
}

TEST(CarddavReport, MultigetWithoutHrefsIsRefused) {
  ExpectBadRequest(
      R"(<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">)"
      R"(<D:prop><D:getetag/></D:prop></C:addressbook-multiget>)");
}

TEST(CarddavReport, QueryWithPartialAddressDataAndLimit) {
  // RFC 6352 §8.6.4 with a limit (§8.6.1).
  const auto q = Expect<AddressbookQuery>(R"(<?xml version="1.0" encoding="utf-8" ?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop>
    <D:getetag/>
    <C:address-data>
      <C:prop name="VERSION"/>
      <C:prop name="uid"/>
      <C:prop name="NICKNAME"/>
      <C:prop name="EMAIL"/>
      <C:prop name="FN"/>
    </C:address-data>
  </D:prop>
  <C:filter>
    <C:prop-filter name="NICKNAME">
      <C:text-match collation="i;unicode-casemap" match-type="equals">me</C:text-match>
    </C:prop-filter>
  </C:filter>
  <C:limit><C:nresults>2</C:nresults></C:limit>
</C:addressbook-query>)");
  ASSERT_TRUE(q.data);
  EXPECT_FALSE(q.data->all_props);
  EXPECT_EQ(q.data->props, (std::vector<std::string>{"VERSION", "UID", "NICKNAME", "EMAIL", "FN"}));
  ASSERT_EQ(q.filter.props.size(), 1u);
  EXPECT_EQ(q.filter.props[0].name, "NICKNAME");
  EXPECT_EQ(q.limit, std::optional<std::size_t>(2));
}

TEST(CarddavReport, QueryWithoutFilterIsRefused) {
  ExpectBadRequest(
      R"(<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">)"
      R"(<D:prop><D:getetag/></D:prop></C:addressbook-query>)");
}

TEST(CarddavReport, BadLimitsAreRefused) {
  for (std::string_view limit : {"<C:limit/>", "<C:limit><C:nresults>0</C:nresults></C:limit>",
                                 "<C:limit><C:nresults>-1</C:nresults></C:limit>"}) {
    ExpectBadRequest(std::string(R"(<C:addressbook-query xmlns:C="urn:ietf:params:xml:ns:carddav">)"
                                 R"(<C:filter/>)") +
                     std::string(limit) + "</C:addressbook-query>");
  }
}

TEST(CarddavReport, ThunderbirdSyncCollectionKeepsTokenAndAddressData) {
  const auto s = Expect<AddressbookSyncCollection>(
      R"(<sync-collection xmlns="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">)"
      R"(<sync-token>http://regie/ns/sync/7</sync-token><sync-level>1</sync-level>)"
      R"(<prop><getetag/><card:address-data/></prop></sync-collection>)");
  EXPECT_EQ(s.sync.sync_token, "http://regie/ns/sync/7");
  EXPECT_EQ(s.sync.props.props, (std::vector<QName>{Dav("getetag"), Card("address-data")}));
  EXPECT_TRUE(s.data);
}

TEST(CarddavReport, SyncCollectionWithoutAddressDataHasNone) {
  const auto s = Expect<AddressbookSyncCollection>(
      R"(<sync-collection xmlns="DAV:"><sync-token/><prop><getetag/></prop></sync-collection>)");
  EXPECT_FALSE(s.data);
}

TEST(CarddavReport, SyncCollectionAskingForJcardIsAPrecondition) {
  auto r = ParseAddressbookReport(
      R"(<d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">)"
      R"(<d:sync-token/><d:prop><c:address-data content-type="application/vcard+json"/>)"
      R"(</d:prop></d:sync-collection>)",
      kLimits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kForbidden);
  EXPECT_EQ(r.error().condition, Card("supported-address-data"));
}

TEST(CarddavReport, CalendarReportsAreUnknownHere) {
  const auto u =
      Expect<dav::UnknownReport>(R"(<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"/>)");
  EXPECT_EQ(u.name, (QName{"urn:ietf:params:xml:ns:caldav", "calendar-query"}));
}

TEST(CarddavReport, EmptyAndMalformedBodiesAreRefused) {
  ExpectBadRequest("");
  ExpectBadRequest(R"(<C:addressbook-query xmlns:C="urn:ietf:params:xml:ns:carddav"><C:filter>)");
}

}  // namespace
}  // namespace regie::proto::carddav
