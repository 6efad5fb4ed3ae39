// CALDAV:filter, CALDAV:time-range and CALDAV:calendar-data inside calendar-query bodies: what
// the query will match and return, and the 400s and preconditions a client sees when it asks
// for something malformed or unsupported.
#include <gtest/gtest.h>

#include <variant>

#include "proto/caldav/caldav_requests.h"

namespace regie::proto::caldav {
namespace {

using formats::ical::CompFilter;
using formats::ical::TimeRange;
using formats::text::Collation;
using formats::text::MatchType;

const formats::xml::XmlLimits kLimits;

std::string QueryWithFilter(std::string_view inner_of_vcalendar) {
  return std::string(R"(<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">)"
                     R"(<D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR">)") +
         std::string(inner_of_vcalendar) + "</C:comp-filter></C:filter></C:calendar-query>";
}

std::string QueryWithData(std::string_view calendar_data) {
  return std::string(R"(<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">)"
                     R"(<D:prop>)") +
         std::string(calendar_data) +
         R"(</D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>)";
}

CalendarQuery Query(const std::string& body) {
  auto r = ParseCalendarReport(body, kLimits);
  EXPECT_TRUE(r) << body << "\n" << (r ? "" : r.error().message);
  if (!r || !std::holds_alternative<CalendarQuery>(*r)) return {};
  return std::get<CalendarQuery>(*r);
}

void ExpectBadRequest(const std::string& body) {
  auto r = ParseCalendarReport(body, kLimits);
  ASSERT_FALSE(r) << body;
  EXPECT_EQ(r.error().code, Errc::kInvalidInput) << body << "\n" << r.error().message;
  EXPECT_FALSE(r.error().detail.empty());
}

void ExpectPrecondition(const std::string& body, std::string_view condition) {
  auto r = ParseCalendarReport(body, kLimits);
  ASSERT_FALSE(r) << body;
  EXPECT_EQ(r.error().code, Errc::kForbidden) << body << "\n" << r.error().message;
  EXPECT_EQ(r.error().condition, (QName{std::string(kCalDavNs), std::string(condition)})) << body;
}

TEST(CaldavFilter, TimeRangeWithoutUtcIsRefused) {
  for (std::string_view range :
       {R"(start="20060104T000000")", R"(start="20060104")", R"(start="2006-01-04T00:00:00Z")",
        R"(start="20060104T000000z")", R"(end="TZID=Europe/Berlin:20060104T000000")",
        R"(start="20061304T000000Z")", R"(start="20060230T000000Z")", R"(start="20060104T250000Z")",
        R"(start="")"}) {
    ExpectBadRequest(QueryWithFilter(R"(<C:comp-filter name="VEVENT"><C:time-range )" +
                                     std::string(range) + "/></C:comp-filter>"));
  }
}

TEST(CaldavFilter, TimeRangeWithoutBoundsOrEndingBeforeItStartsIsRefused) {
  for (std::string_view range : {"", R"(start="20060105T000000Z" end="20060104T000000Z")",
                                 R"(start="20060104T000000Z" end="20060104T000000Z")"}) {
    ExpectBadRequest(QueryWithFilter(R"(<C:comp-filter name="VTODO"><C:time-range )" +
                                     std::string(range) + "/></C:comp-filter>"));
  }
}

TEST(CaldavFilter, TimeRangeBoundsAreUnixSeconds) {
  const auto q = Query(
      QueryWithFilter(R"(<C:comp-filter name="VEVENT"><C:time-range start="19700101T000000Z" )"
                      R"(end="20240229T120000Z"/></C:comp-filter>)"));
  EXPECT_EQ(q.filter.comps.at(0).time_range, (TimeRange{0, 1709208000}));
  const auto open_start = Query(QueryWithFilter(
      R"(<C:comp-filter name="VEVENT"><C:time-range end="20060104T000000Z"/></C:comp-filter>)"));
  EXPECT_EQ(open_start.filter.comps.at(0).time_range, (TimeRange{std::nullopt, 1136332800}));
}

TEST(CaldavFilter, FilterMustHaveOneVcalendarCompFilter) {
  const std::string start = R"(<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav">)";
  ExpectPrecondition(start + "<C:filter/></C:calendar-query>", "valid-filter");
  ExpectPrecondition(
      start + R"(<C:filter><C:comp-filter name="VEVENT"/></C:filter>)" + "</C:calendar-query>",
      "valid-filter");
  ExpectPrecondition(start + R"(<C:filter><C:comp-filter name="VCALENDAR"/>)" +
                         R"(<C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>)",
                     "valid-filter");
}

TEST(CaldavFilter, ComponentsMustNestAsInIcalendar) {
  ExpectPrecondition(QueryWithFilter(R"(<C:comp-filter name="VTODO">)"
                                     R"(<C:comp-filter name="VEVENT"/></C:comp-filter>)"),
                     "valid-filter");
  ExpectPrecondition(QueryWithFilter(R"(<C:comp-filter name="VALARM"/>)"), "valid-filter");
  ExpectPrecondition(QueryWithFilter(R"(<C:comp-filter name="VCALENDAR"/>)"), "valid-filter");
  const auto alarms = Query(
      QueryWithFilter(R"(<C:comp-filter name="VTODO"><C:comp-filter name="VALARM"><C:time-range )"
                      R"(start="20060104T000000Z"/></C:comp-filter></C:comp-filter>)"));
  EXPECT_EQ(alarms.filter.comps.at(0).comps.at(0).name, "VALARM");
}

TEST(CaldavFilter, NamesAreUpperCased) {
  const auto q = Query(
      R"(<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter>)"
      R"(<C:comp-filter name="vcalendar"><C:comp-filter name="vevent"><C:prop-filter name="x-Foo">)"
      R"(<C:param-filter name="tzid"><C:is-not-defined/></C:param-filter></C:prop-filter>)"
      R"(</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>)");
  EXPECT_EQ(q.filter.name, "VCALENDAR");
  const CompFilter& event = q.filter.comps.at(0);
  EXPECT_EQ(event.name, "VEVENT");
  EXPECT_EQ(event.props.at(0).name, "X-FOO");
  EXPECT_EQ(event.props.at(0).params.at(0).name, "TZID");
  EXPECT_TRUE(event.props.at(0).params.at(0).is_not_defined);
}

TEST(CaldavFilter, EvolutionUidLookupMatchesOctets) {
  const auto q = Query(QueryWithFilter(
      R"(<C:comp-filter name="VEVENT"><C:prop-filter name="UID">)"
      R"(<C:text-match collation="i;octet">20060104T000000Z-123@example.com</C:text-match>)"
      R"(</C:prop-filter></C:comp-filter>)"));
  const auto& match = q.filter.comps.at(0).props.at(0).text_match;
  ASSERT_TRUE(match);
  EXPECT_EQ(match->text, "20060104T000000Z-123@example.com");
  EXPECT_EQ(match->collation, Collation::kOctet);
  EXPECT_EQ(match->match, MatchType::kContains);
  EXPECT_FALSE(match->negate);
}

TEST(CaldavFilter, TextMatchDefaultsToAsciiCasemapAndHonoursNegation) {
  // RFC 4791 §7.8.6: todos that are not completed and not cancelled.
  const auto q = Query(QueryWithFilter(
      R"(<C:comp-filter name="VTODO"><C:prop-filter name="COMPLETED"><C:is-not-defined/>)"
      R"(</C:prop-filter><C:prop-filter name="STATUS"><C:text-match negate-condition="yes">)"
      R"(CANCELLED</C:text-match></C:prop-filter></C:comp-filter>)"));
  const CompFilter& todo = q.filter.comps.at(0);
  EXPECT_TRUE(todo.props.at(0).is_not_defined);
  const auto& match = todo.props.at(1).text_match;
  ASSERT_TRUE(match);
  EXPECT_EQ(match->collation, Collation::kAsciiCasemap);
  EXPECT_TRUE(match->negate);
}

TEST(CaldavFilter, UnknownCollationIsAPrecondition) {
  ExpectPrecondition(QueryWithFilter(R"(<C:comp-filter name="VEVENT"><C:prop-filter )"
                                     R"(name="SUMMARY"><C:text-match collation="i;basic">x)"
                                     R"(</C:text-match></C:prop-filter></C:comp-filter>)"),
                     "supported-collation");
}

TEST(CaldavFilter, MalformedFilterElementsAreRefused) {
  for (std::string_view inner : {
           R"(<C:comp-filter/>)",
           R"(<C:comp-filter name=""/>)",
           R"(<C:comp-filter name="VEVENT"><C:prop-filter/></C:comp-filter>)",
           R"(<C:comp-filter name="VEVENT"><C:is-not-defined/><C:time-range )"
           R"(start="20060104T000000Z"/></C:comp-filter>)",
           R"(<C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:is-not-defined/>)"
           R"(<C:text-match>x</C:text-match></C:prop-filter></C:comp-filter>)",
           R"(<C:comp-filter name="VEVENT"><C:prop-filter name="DTSTART"><C:time-range )"
           R"(start="20060104T000000Z"/><C:text-match>x</C:text-match></C:prop-filter>)"
           R"(</C:comp-filter>)",
           R"(<C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match )"
           R"(negate-condition="maybe">x</C:text-match></C:prop-filter></C:comp-filter>)",
           R"(<C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match )"
           R"(match-type="fuzzy">x</C:text-match></C:prop-filter></C:comp-filter>)",
           R"(<C:comp-filter name="VEVENT"><C:prop-filter name="ATTENDEE"><C:param-filter>)"
           R"(<C:is-not-defined/></C:param-filter></C:prop-filter></C:comp-filter>)",
       }) {
    ExpectBadRequest(QueryWithFilter(inner));
  }
}

TEST(CaldavFilter, CalendarDataSelectsComponentsAndProperties) {
  // RFC 4791 §7.8.1, trimmed: VCALENDAR with VERSION, VEVENT with SUMMARY, the whole VTIMEZONE.
  const auto q = Query(QueryWithData(R"(<C:calendar-data><C:comp name="VCALENDAR">)"
                                     R"(<C:prop name="VERSION"/><C:comp name="VEVENT">)"
                                     R"(<C:prop name="summary"/><C:prop name="UID"/>)"
                                     R"(</C:comp><C:comp name="VTIMEZONE"/></C:comp>)"
                                     R"(</C:calendar-data>)"));
  ASSERT_TRUE(q.data && q.data->comp);
  const auto& calendar = *q.data->comp;
  EXPECT_EQ(calendar.name, "VCALENDAR");
  EXPECT_FALSE(calendar.all_props);
  EXPECT_EQ(calendar.props, std::vector<std::string>{"VERSION"});
  EXPECT_FALSE(calendar.all_comps);
  ASSERT_EQ(calendar.comps.size(), 2u);
  EXPECT_EQ(calendar.comps[0].props, (std::vector<std::string>{"SUMMARY", "UID"}));
  EXPECT_TRUE(calendar.comps[0].all_comps);
  EXPECT_TRUE(calendar.comps[1].all_props);
  EXPECT_TRUE(calendar.comps[1].all_comps);
}

TEST(CaldavFilter, CalendarDataCarriesExpandAndFreeBusyLimits) {
  const auto expanded = Query(QueryWithData(
      R"(<C:calendar-data><C:expand start="20060103T000000Z" end="20060105T000000Z"/>)"
      R"(</C:calendar-data>)"));
  ASSERT_TRUE(expanded.data);
  EXPECT_EQ(expanded.data->expand, (TimeRange{1136246400, 1136419200}));
  const auto limited = Query(
      QueryWithData(R"(<C:calendar-data><C:limit-recurrence-set start="20060103T000000Z" )"
                    R"(end="20060105T000000Z"/><C:limit-freebusy-set start="20060104T000000Z" )"
                    R"(end="20060105T000000Z"/></C:calendar-data>)"));
  ASSERT_TRUE(limited.data);
  EXPECT_FALSE(limited.data->expand);
  EXPECT_EQ(limited.data->limit_recurrence_set, (TimeRange{1136246400, 1136419200}));
  EXPECT_EQ(limited.data->limit_freebusy_set, (TimeRange{1136332800, 1136419200}));
}

TEST(CaldavFilter, ExpandNeedsBothBoundsAndExcludesLimitRecurrenceSet) {
  ExpectBadRequest(
      QueryWithData(R"(<C:calendar-data><C:expand start="20060103T000000Z"/></C:calendar-data>)"));
  ExpectBadRequest(QueryWithData(
      R"(<C:calendar-data><C:limit-recurrence-set end="20060103T000000Z"/></C:calendar-data>)"));
  ExpectBadRequest(QueryWithData(
      R"(<C:calendar-data><C:expand start="20060103T000000Z" end="20060105T000000Z"/>)"
      R"(<C:limit-recurrence-set start="20060103T000000Z" end="20060105T000000Z"/>)"
      R"(</C:calendar-data>)"));
}

TEST(CaldavFilter, CalendarDataSelectionNeedsNamesAndNoContradictions) {
  ExpectBadRequest(QueryWithData(R"(<C:calendar-data><C:comp/></C:calendar-data>)"));
  ExpectBadRequest(QueryWithData(
      R"(<C:calendar-data><C:comp name="VCALENDAR"><C:prop/></C:comp></C:calendar-data>)"));
  ExpectBadRequest(QueryWithData(R"(<C:calendar-data><C:comp name="VCALENDAR"><C:allprop/>)"
                                 R"(<C:prop name="VERSION"/></C:comp></C:calendar-data>)"));
}

TEST(CaldavFilter, OnlyIcalendarTwoIsSupportedCalendarData) {
  const auto plain = Query(QueryWithData(
      R"(<C:calendar-data content-type="text/calendar; charset=utf-8" version="2.0"/>)"));
  EXPECT_TRUE(plain.data);
  ExpectPrecondition(
      QueryWithData(R"(<C:calendar-data content-type="application/calendar+json"/>)"),
      "supported-calendar-data");
  ExpectPrecondition(QueryWithData(R"(<C:calendar-data version="1.0"/>)"),
                     "supported-calendar-data");
}

}  // namespace
}  // namespace regie::proto::caldav
