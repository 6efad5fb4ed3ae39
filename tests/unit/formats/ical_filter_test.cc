// CalendarObject::Matches: calendar-query filters (RFC 4791 §9.7) and the §9.9 time-range rules.
#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "formats/ical/calendar_object.h"
#include "ical_test_util.h"

namespace regie::formats::ical {
namespace {

using namespace ical_test;  // NOLINT(google-build-using-namespace): the shared test helpers.

CompFilter Comp(const std::string& name, std::vector<CompFilter> comps = {},
                std::vector<PropFilter> props = {}) {
  CompFilter f;
  f.name = name;
  f.comps = std::move(comps);
  f.props = std::move(props);
  return f;
}

CompFilter Root(CompFilter inner) { return Comp("VCALENDAR", {std::move(inner)}); }

PropFilter Prop(const std::string& name) {
  PropFilter p;
  p.name = name;
  return p;
}

text::TextMatch Text(const std::string& needle,
                     text::Collation collation = text::Collation::kAsciiCasemap) {
  text::TextMatch m;
  m.text = needle;
  m.collation = collation;
  return m;
}

// VCALENDAR > `name` with a time range.
CompFilter InRange(const std::string& name, TimeRange range) {
  CompFilter inner = Comp(name);
  inner.time_range = range;
  return Root(inner);
}

bool TodoIn(const std::string& props, TimeRange range) {
  const CalendarObject obj = Parse(Calendar("BEGIN:VTODO\r\nUID:t\r\n" + props + "END:VTODO\r\n"));
  return obj.Matches(InRange("VTODO", range), FloatingZone::Utc());
}

const std::string kRecurring =
    "BEGIN:VEVENT\r\nUID:r\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\n"
    "SUMMARY:Stra\xC3\x9F"
    "enfest\r\nRRULE:FREQ=WEEKLY\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED;CN=Ann:mailto:ann@example.com\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n";

TEST(IcalFilter, RootFilterMatchesEveryObject) {
  const CalendarObject obj = Parse(Calendar(kRecurring));
  EXPECT_TRUE(obj.Matches(Comp("VCALENDAR"), FloatingZone::Utc()));
  EXPECT_FALSE(obj.Matches(Comp("VEVENT"), FloatingZone::Utc()));
}

TEST(IcalFilter, TimeRangeMatchesALaterInstanceOfARecurringEvent) {
  const CalendarObject obj = Parse(Calendar(kRecurring));
  // Monday 3 June 2024 10:00-11:00 is an instance; Tuesday is not.
  EXPECT_TRUE(obj.Matches(InRange("VEVENT", {Utc(2024, 6, 3, 10, 30), Utc(2024, 6, 3, 12)}),
                          FloatingZone::Utc()));
  EXPECT_FALSE(
      obj.Matches(InRange("VEVENT", {Utc(2024, 6, 4), Utc(2024, 6, 5)}), FloatingZone::Utc()));
}

TEST(IcalFilter, EventEndIsExclusive) {
  const CalendarObject obj = Parse(Calendar(kRecurring));
  EXPECT_FALSE(obj.Matches(InRange("VEVENT", {Utc(2024, 1, 1, 11), Utc(2024, 1, 1, 12)}),
                           FloatingZone::Utc()));
}

TEST(IcalFilter, ZeroLengthEventMatchesWhenRangeStartsAtIt) {
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n"));
  EXPECT_TRUE(obj.Matches(InRange("VEVENT", {Utc(2024, 1, 1, 10), Utc(2024, 1, 1, 11)}),
                          FloatingZone::Utc()));
  EXPECT_FALSE(obj.Matches(InRange("VEVENT", {Utc(2024, 1, 1, 9), Utc(2024, 1, 1, 10)}),
                           FloatingZone::Utc()));
}

TEST(IcalFilter, AllDayEventCoversItsDayInTheFloatingZone) {
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20240710\r\nEND:VEVENT\r\n"));
  EXPECT_TRUE(obj.Matches(InRange("VEVENT", {Utc(2024, 7, 10, 23), Utc(2024, 7, 11)}),
                          FloatingZone::Utc()));
  EXPECT_FALSE(
      obj.Matches(InRange("VEVENT", {Utc(2024, 7, 11), Utc(2024, 7, 12)}), FloatingZone::Utc()));
}

TEST(IcalFilter, TodoRowsOfTheTimeRangeTable) {
  const TimeRange range{Utc(2024, 1, 10), Utc(2024, 1, 20)};
  // DTSTART + DUE spanning the range.
  EXPECT_TRUE(TodoIn("DTSTART:20240101T000000Z\r\nDUE:20240130T000000Z\r\n", range));
  // DUE only: start < DUE and end >= DUE, so a DUE at the range's end matches.
  EXPECT_TRUE(TodoIn("DUE:20240120T000000Z\r\n", range));
  EXPECT_FALSE(TodoIn("DUE:20240110T000000Z\r\n", {Utc(2024, 1, 10), Utc(2024, 1, 9)}));
  EXPECT_FALSE(TodoIn("DUE:20240109T000000Z\r\n", range));
  // DTSTART + DURATION ending before the range.
  EXPECT_FALSE(TodoIn("DTSTART:20240101T000000Z\r\nDURATION:P2D\r\n", range));
  // COMPLETED only: start <= COMPLETED and end >= COMPLETED.
  EXPECT_TRUE(TodoIn("COMPLETED:20240115T000000Z\r\n", range));
  // CREATED only: end > CREATED, however long ago.
  EXPECT_TRUE(TodoIn("CREATED:20000101T000000Z\r\n", range));
  EXPECT_FALSE(TodoIn("CREATED:20250101T000000Z\r\n", range));
  // No date at all: always.
  EXPECT_TRUE(TodoIn("SUMMARY:x\r\n", range));
}

TEST(IcalFilter, JournalWithoutDtstartNeverMatchesATimeRange) {
  const CalendarObject obj = Parse(Calendar("BEGIN:VJOURNAL\r\nUID:j\r\nEND:VJOURNAL\r\n"));
  EXPECT_FALSE(
      obj.Matches(InRange("VJOURNAL", {Utc(2000, 1, 1), Utc(2030, 1, 1)}), FloatingZone::Utc()));
}

TEST(IcalFilter, AlarmTimeRangeUsesTriggersOfEachInstance) {
  const CalendarObject obj = Parse(Calendar(kRecurring));
  CompFilter alarm = Comp("VALARM");
  alarm.time_range = TimeRange{Utc(2024, 6, 3, 9, 40), Utc(2024, 6, 3, 9, 50)};
  CompFilter root = Root(Comp("VEVENT", {alarm}));
  // The 3 June instance starts at 10:00; its alarm fires at 09:45.
  EXPECT_TRUE(obj.Matches(root, FloatingZone::Utc()));
  root.comps[0].comps[0].time_range = TimeRange{Utc(2024, 6, 3, 9, 50), Utc(2024, 6, 3, 10)};
  EXPECT_FALSE(obj.Matches(root, FloatingZone::Utc()));
}

TEST(IcalFilter, TextMatchUsesUnicodeCasemap) {
  const CalendarObject obj = Parse(Calendar(kRecurring));
  PropFilter summary = Prop("SUMMARY");
  summary.text_match = Text("STRASSE", text::Collation::kUnicodeCasemap);
  CompFilter root = Root(Comp("VEVENT", {}, {summary}));
  EXPECT_TRUE(obj.Matches(root, FloatingZone::Utc()));
  root.comps[0].props[0].text_match->collation = text::Collation::kAsciiCasemap;
  EXPECT_FALSE(obj.Matches(root, FloatingZone::Utc()));
}

TEST(IcalFilter, TextMatchFindsDecomposedAndDottedCapitalText) {
  // "Café" stored decomposed (e + U+0301), "İstanbul" with U+0130.
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:u\r\nDTSTART:20240101T100000Z\r\n"
                     "SUMMARY:Cafe\xCC\x81 in \xC4\xB0stanbul\r\nEND:VEVENT\r\n"));
  for (const std::string needle : {"caf\xC3\xA9", "i\xCC\x87stanbul"}) {
    PropFilter summary = Prop("SUMMARY");
    summary.text_match = Text(needle, text::Collation::kUnicodeCasemap);
    EXPECT_TRUE(obj.Matches(Root(Comp("VEVENT", {}, {summary})), FloatingZone::Utc())) << needle;
  }
}

TEST(IcalFilter, NegatedTextMatchAndIsNotDefined) {
  const CalendarObject obj = Parse(Calendar(kRecurring));
  PropFilter location = Prop("LOCATION");
  location.is_not_defined = true;
  PropFilter summary = Prop("SUMMARY");
  summary.text_match = Text("meeting");
  summary.text_match->negate = true;
  EXPECT_TRUE(obj.Matches(Root(Comp("VEVENT", {}, {location, summary})), FloatingZone::Utc()));
  CompFilter no_todo = Comp("VTODO");
  no_todo.is_not_defined = true;
  EXPECT_TRUE(obj.Matches(Root(no_todo), FloatingZone::Utc()));
  CompFilter no_event = Comp("VEVENT");
  no_event.is_not_defined = true;
  EXPECT_FALSE(obj.Matches(Root(no_event), FloatingZone::Utc()));
}

TEST(IcalFilter, ParamFilterMatchesParameterValues) {
  const CalendarObject obj = Parse(Calendar(kRecurring));
  PropFilter attendee = Prop("ATTENDEE");
  ParamFilter partstat;
  partstat.name = "PARTSTAT";
  partstat.text_match = Text("accepted");
  ParamFilter role;
  role.name = "ROLE";
  role.is_not_defined = true;
  attendee.params = {partstat, role};
  CompFilter root = Root(Comp("VEVENT", {}, {attendee}));
  EXPECT_TRUE(obj.Matches(root, FloatingZone::Utc()));
  root.comps[0].props[0].params[0].text_match->text = "declined";
  EXPECT_FALSE(obj.Matches(root, FloatingZone::Utc()));
}

TEST(IcalFilter, PropertyTimeRangeTestsTheValue) {
  const CalendarObject obj = Parse(
      Calendar("BEGIN:VEVENT\r\nUID:p\r\nDTSTAMP:20240105T120000Z\r\nDTSTART:20240101T100000Z\r\n"
               "END:VEVENT\r\n"));
  PropFilter stamp = Prop("DTSTAMP");
  stamp.time_range = TimeRange{Utc(2024, 1, 5), Utc(2024, 1, 6)};
  CompFilter root = Root(Comp("VEVENT", {}, {stamp}));
  EXPECT_TRUE(obj.Matches(root, FloatingZone::Utc()));
  root.comps[0].props[0].time_range = TimeRange{Utc(2024, 1, 6), std::nullopt};
  EXPECT_FALSE(obj.Matches(root, FloatingZone::Utc()));
}

TEST(IcalFilter, OverriddenInstanceIsJudgedByItsNewTime) {
  const CalendarObject obj = Parse(
      Calendar("BEGIN:VEVENT\r\nUID:o\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\n"
               "RRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:o\r\nRECURRENCE-ID:20240102T100000Z\r\n"
               "DTSTART:20240110T100000Z\r\nDTEND:20240110T110000Z\r\nEND:VEVENT\r\n"));
  EXPECT_FALSE(
      obj.Matches(InRange("VEVENT", {Utc(2024, 1, 2), Utc(2024, 1, 3)}), FloatingZone::Utc()));
  EXPECT_TRUE(
      obj.Matches(InRange("VEVENT", {Utc(2024, 1, 10), Utc(2024, 1, 11)}), FloatingZone::Utc()));
}

}  // namespace
}  // namespace regie::formats::ical
