// CalDAV REPORT bodies as the common clients send them: which report, which properties, which
// hrefs, and the 400s a malformed body earns. Filters and calendar-data: caldav_filter_test.cc.
#include <gtest/gtest.h>

#include <variant>

#include "proto/caldav/caldav_requests.h"

namespace regie::proto::caldav {
namespace {

const formats::xml::XmlLimits kLimits;

QName Dav(std::string_view local) { return QName{"DAV:", std::string(local)}; }
QName Cal(std::string_view local) { return QName{std::string(kCalDavNs), std::string(local)}; }

template <typename T>
T Expect(std::string_view body) {
  auto r = ParseCalendarReport(body, kLimits);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  if (!r) return T{};
  EXPECT_TRUE(std::holds_alternative<T>(*r)) << "report index " << r->index();
  return std::holds_alternative<T>(*r) ? std::get<T>(*r) : T{};
}

void ExpectBadRequest(std::string_view body) {
  auto r = ParseCalendarReport(body, kLimits);
  ASSERT_FALSE(r) << body;
  EXPECT_EQ(r.error().code, Errc::kInvalidInput) << r.error().message;
  EXPECT_FALSE(r.error().detail.empty());
  EXPECT_TRUE(r.error().condition.empty());
}

TEST(CaldavReport, PythonCaldavDateSearchAsksForEventsInAWindowWithTheirData) {
  const auto q = Expect<CalendarQuery>(R"(<?xml version='1.0' encoding='utf-8'?>
<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:">
  <D:prop>
    <D:getetag/>
    <C:calendar-data/>
  </D:prop>
  <C:filter>
    <C:comp-filter name="VCALENDAR">
      <C:comp-filter name="VEVENT">
        <C:time-range start="20060104T000000Z" end="20060105T000000Z"/>
      </C:comp-filter>
    </C:comp-filter>
  </C:filter>
</C:calendar-query>)");
  EXPECT_EQ(q.props.kind, dav::PropfindKind::kProp);
  EXPECT_EQ(q.props.props, (std::vector<QName>{Dav("getetag"), Cal("calendar-data")}));
  ASSERT_TRUE(q.data);
  EXPECT_FALSE(q.data->comp);
  EXPECT_FALSE(q.data->expand);
  EXPECT_EQ(q.filter.name, "VCALENDAR");
  ASSERT_EQ(q.filter.comps.size(), 1u);
  EXPECT_EQ(q.filter.comps[0].name, "VEVENT");
  EXPECT_EQ(q.filter.comps[0].time_range, (formats::ical::TimeRange{1136332800, 1136419200}));
  EXPECT_FALSE(q.timezone);
  EXPECT_FALSE(q.limit);
}

TEST(CaldavReport, DavxPastEventWindowHasOnlyAStart) {
  const auto q = Expect<CalendarQuery>(
      R"(<CAL:calendar-query xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav">)"
      R"(<prop><getetag/></prop><CAL:filter><CAL:comp-filter name="VCALENDAR">)"
      R"(<CAL:comp-filter name="VEVENT"><CAL:time-range start="20230101T000000Z"/>)"
      R"(</CAL:comp-filter></CAL:comp-filter></CAL:filter></CAL:calendar-query>)");
  EXPECT_EQ(q.props.props, std::vector<QName>{Dav("getetag")});
  EXPECT_FALSE(q.data);
  EXPECT_EQ(q.filter.comps.at(0).time_range, (formats::ical::TimeRange{1672531200, std::nullopt}));
}

TEST(CaldavReport, QueryWithoutPropAsksForAllProperties) {
  const auto q = Expect<CalendarQuery>(
      R"(<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter>)"
      R"(<C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>)");
  EXPECT_EQ(q.props.kind, dav::PropfindKind::kAllprop);
  EXPECT_TRUE(q.filter.comps.empty());
}

TEST(CaldavReport, QueryCarriesTimezoneTextAndLimit) {
  const auto q = Expect<CalendarQuery>(R"(<C:calendar-query xmlns:D="DAV:"
    xmlns:C="urn:ietf:params:xml:ns:caldav"><D:propname/>
  <C:filter><C:comp-filter name="VCALENDAR"/></C:filter>
  <C:timezone><![CDATA[
BEGIN:VCALENDAR
BEGIN:VTIMEZONE
TZID:Europe/Berlin
END:VTIMEZONE
END:VCALENDAR
]]></C:timezone>
  <C:limit><C:nresults>50</C:nresults></C:limit>
</C:calendar-query>)");
  EXPECT_EQ(q.props.kind, dav::PropfindKind::kPropname);
  ASSERT_TRUE(q.timezone);
  EXPECT_TRUE(q.timezone->starts_with("BEGIN:VCALENDAR\n"));
  EXPECT_TRUE(q.timezone->ends_with("END:VCALENDAR"));
  EXPECT_NE(q.timezone->find("TZID:Europe/Berlin"), std::string::npos);
  EXPECT_EQ(q.limit, std::optional<std::size_t>(50));
}

TEST(CaldavReport, QueryWithoutFilterIsRefused) {
  ExpectBadRequest(R"(<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">)"
                   R"(<D:prop><D:getetag/></D:prop></C:calendar-query>)");
}

TEST(CaldavReport, QueryWithTwoPropFormsIsRefused) {
  ExpectBadRequest(
      R"(<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:allprop/>)"
      R"(<D:propname/><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>)");
}

TEST(CaldavReport, BadLimitsAreRefused) {
  for (std::string_view limit : {"<C:limit/>", "<C:limit><C:nresults>0</C:nresults></C:limit>",
                                 "<C:limit><C:nresults>many</C:nresults></C:limit>"}) {
    ExpectBadRequest(std::string(R"(<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav">)"
                                 R"(<C:filter><C:comp-filter name="VCALENDAR"/></C:filter>)") +
                     std::string(limit) + "</C:calendar-query>");
  }
}

TEST(CaldavReport, DavxMultigetListsHrefsAndWantsCalendarData) {
  const auto m = Expect<CalendarMultiget>(
      R"(<CAL:calendar-multiget xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav">)"
      R"(<prop><getcontenttype/><getetag/><CAL:calendar-data/></prop>)"
      R"(<href>/dav/calendars/alice/work/a%20b.ics</href>)"
      "<href>\n  /dav/calendars/alice/work/c.ics\n</href></CAL:calendar-multiget>");
  EXPECT_EQ(m.props.props,
            (std::vector<QName>{Dav("getcontenttype"), Dav("getetag"), Cal("calendar-data")}));
  ASSERT_TRUE(m.data);
  EXPECT_EQ(m.hrefs, (std::vector<std::string>{"/dav/calendars/alice/work/a%20b.ics",
                                               "/dav/calendars/alice/work/c.ics"}));
}

TEST(CaldavReport, MultigetWithoutHrefsIsRefused) {
  ExpectBadRequest(R"(<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">)"
                   R"(<D:prop><D:getetag/></D:prop></C:calendar-multiget>)");
  ExpectBadRequest(R"(<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">)"
                   R"(<D:prop><D:getetag/></D:prop><D:href>  </D:href></C:calendar-multiget>)");
}

TEST(CaldavReport, FreeBusyQueryCarriesItsRange) {
  // RFC 4791 §7.10.1.
  const auto f = Expect<FreeBusyQuery>(R"(<?xml version="1.0" encoding="utf-8" ?>
<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav">
  <C:time-range start="20060104T140000Z" end="20060105T220000Z"/>
</C:free-busy-query>)");
  EXPECT_EQ(f.range, (formats::ical::TimeRange{1136383200, 1136498400}));
}

TEST(CaldavReport, FreeBusyQueryWithoutRangeIsRefused) {
  ExpectBadRequest(R"(<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"/>)");
}

TEST(CaldavReport, SyncCollectionKeepsTokenAndCalendarData) {
  const auto s = Expect<CalendarSyncCollection>(
      R"(<d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">)"
      R"(<d:sync-token>http://regie/ns/sync/42</d:sync-token><d:sync-level>1</d:sync-level>)"
      R"(<d:prop><d:getetag/><c:calendar-data/></d:prop></d:sync-collection>)");
  EXPECT_EQ(s.sync.sync_token, "http://regie/ns/sync/42");
  EXPECT_EQ(s.sync.props.props, (std::vector<QName>{Dav("getetag"), Cal("calendar-data")}));
  EXPECT_TRUE(s.data);
}

TEST(CaldavReport, DavxSyncCollectionWithoutCalendarDataHasNone) {
  const auto s = Expect<CalendarSyncCollection>(
      R"(<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level>)"
      R"(<prop><getcontenttype/><getetag/></prop></sync-collection>)");
  EXPECT_EQ(s.sync.sync_token, "");
  EXPECT_FALSE(s.data);
}

TEST(CaldavReport, SyncCollectionAskingForJcalIsAPrecondition) {
  auto r = ParseCalendarReport(
      R"(<d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">)"
      R"(<d:sync-token/><d:prop><c:calendar-data content-type="application/calendar+json"/>)"
      R"(</d:prop></d:sync-collection>)",
      kLimits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kForbidden);
  EXPECT_EQ(r.error().condition, Cal("supported-calendar-data"));
}

TEST(CaldavReport, BadSyncCollectionIsRefusedAsDavRefusesIt) {
  ExpectBadRequest(R"(<sync-collection xmlns="DAV:"><sync-level>2</sync-level></sync-collection>)");
}

TEST(CaldavReport, OtherReportsAreUnknownWithTheirName) {
  const auto u = Expect<dav::UnknownReport>(
      R"(<C:addressbook-query xmlns:C="urn:ietf:params:xml:ns:carddav"/>)");
  EXPECT_EQ(u.name, (QName{"urn:ietf:params:xml:ns:carddav", "addressbook-query"}));
  const auto e = Expect<dav::UnknownReport>(
      R"(<D:expand-property xmlns:D="DAV:"><D:property name="calendar-home-set"/></D:expand-property>)");
  EXPECT_EQ(e.name, Dav("expand-property"));
}

TEST(CaldavReport, EmptyAndMalformedBodiesAreRefused) {
  ExpectBadRequest("");
  ExpectBadRequest(" \r\n");
  ExpectBadRequest(R"(<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav">)");
  ExpectBadRequest(R"(<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>)");
}

}  // namespace
}  // namespace regie::proto::caldav
