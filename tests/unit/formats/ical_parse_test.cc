// CalendarObject::Parse: what PUT accepts and which CalDAV precondition a refusal names.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "formats/ical/calendar_object.h"

namespace regie::formats::ical {
namespace {

std::string Calendar(const std::string& body) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" + body + "END:VCALENDAR\r\n";
}

std::string Event(const std::string& uid, const std::string& extra = "") {
  return "BEGIN:VEVENT\r\nUID:" + uid +
         "\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240301T100000Z\r\n"
         "DTEND:20240301T110000Z\r\nSUMMARY:Meeting\r\n" +
         extra + "END:VEVENT\r\n";
}

QName Condition(const std::string& name) { return QName{std::string(kCalDavNs), name}; }

Error ParseError(const std::string& text, CalendarLimits limits = {}) {
  auto parsed = CalendarObject::Parse(text, limits);
  EXPECT_FALSE(parsed) << text;
  return parsed ? Error{} : parsed.error();
}

TEST(IcalParse, SimpleEventGivesUidKindAndNoRecurrence) {
  auto parsed = CalendarObject::Parse(Calendar(Event("abc")), {});
  ASSERT_TRUE(parsed) << parsed.error().detail;
  EXPECT_EQ(parsed->uid(), "abc");
  EXPECT_EQ(parsed->kind(), ComponentKind::kEvent);
  EXPECT_FALSE(parsed->recurring());
  EXPECT_FALSE(parsed->floating());
}

TEST(IcalParse, TextThatIsNotIcalendarNamesTheLine) {
  const Error e = ParseError("hello world\r\n");
  EXPECT_EQ(e.code, Errc::kForbidden);
  EXPECT_EQ(e.condition, Condition("valid-calendar-data"));
  EXPECT_EQ(e.detail, "line 1: not iCalendar");
}

TEST(IcalParse, LineWithoutColonInsideTheCalendarIsRefusedWithItsNumber) {
  const Error e = ParseError(Calendar("BEGIN:VEVENT\r\nUID:a\r\nnonsense\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(e.condition, Condition("valid-calendar-data"));
  EXPECT_EQ(e.detail, "line 6: not iCalendar");
}

TEST(IcalParse, UnbalancedEndIsRefused) {
  const Error e = ParseError(Calendar("BEGIN:VEVENT\r\nUID:a\r\nEND:VTODO\r\n"));
  EXPECT_EQ(e.condition, Condition("valid-calendar-data"));
  EXPECT_NE(e.detail.find("END:VTODO"), std::string::npos);
}

TEST(IcalParse, BadPropertyValueReportedByLibicalIsRefused) {
  const Error e =
      ParseError(Calendar("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:notadate\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(e.condition, Condition("valid-calendar-data"));
}

TEST(IcalParse, InvalidUtf8IsRefused) {
  const Error e = ParseError(Calendar(Event("a", "DESCRIPTION:caf\xC3\r\n")));
  EXPECT_EQ(e.detail, "not UTF-8");
}

TEST(IcalParse, EventWithoutUidIsNotACalendarObjectResource) {
  const Error e =
      ParseError(Calendar("BEGIN:VEVENT\r\nDTSTART:20240301T100000Z\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(e.code, Errc::kForbidden);
  EXPECT_EQ(e.condition, Condition("valid-calendar-object-resource"));
  EXPECT_EQ(e.detail, "VEVENT without UID");
}

TEST(IcalParse, MethodPropertyIsRefused) {
  const std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\n" +
                           Event("a") + "END:VCALENDAR\r\n";
  EXPECT_EQ(ParseError(text).condition, Condition("valid-calendar-object-resource"));
}

TEST(IcalParse, TwoUidsAreRefused) {
  const Error e = ParseError(Calendar(Event("a") + Event("b")));
  EXPECT_EQ(e.condition, Condition("valid-calendar-object-resource"));
  EXPECT_EQ(e.detail, "components with different UIDs");
}

TEST(IcalParse, TwoMastersAreRefused) {
  const Error e = ParseError(Calendar(Event("a") + Event("a")));
  EXPECT_EQ(e.condition, Condition("valid-calendar-object-resource"));
  EXPECT_EQ(e.detail, "two VEVENTs without RECURRENCE-ID");
}

TEST(IcalParse, MixedKindsAreRefused) {
  const Error e = ParseError(Calendar(Event("a") + "BEGIN:VTODO\r\nUID:a\r\nEND:VTODO\r\n"));
  EXPECT_EQ(e.detail, "components of different kinds");
}

TEST(IcalParse, CalendarWithoutComponentIsRefused) {
  EXPECT_EQ(ParseError(Calendar("")).condition, Condition("valid-calendar-object-resource"));
}

TEST(IcalParse, OverridesWithoutMasterAreAccepted) {
  auto parsed =
      CalendarObject::Parse(Calendar(Event("a", "RECURRENCE-ID:20240301T100000Z\r\n")), {});
  ASSERT_TRUE(parsed) << parsed.error().detail;
  EXPECT_TRUE(parsed->recurring());
}

TEST(IcalParse, SameRecurrenceIdTwiceIsRefused) {
  const std::string rid = "RECURRENCE-ID:20240301T100000Z\r\n";
  EXPECT_EQ(ParseError(Calendar(Event("a", rid) + Event("a", rid))).detail,
            "RECURRENCE-ID given twice");
}

TEST(IcalParse, DtendBeforeDtstartIsRefused) {
  const Error e = ParseError(
      Calendar("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240301T100000Z\r\nDTEND:20240301T090000Z\r\n"
               "END:VEVENT\r\n"));
  EXPECT_EQ(e.detail, "VEVENT: DTEND before DTSTART");
}

TEST(IcalParse, DtendAndDurationTogetherAreRefused) {
  EXPECT_EQ(ParseError(Calendar(Event("a", "DURATION:PT1H\r\n"))).detail,
            "VEVENT with both DTEND and DURATION");
}

TEST(IcalParse, EventWithoutDtstartIsRefused) {
  EXPECT_EQ(ParseError(Calendar("BEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n")).detail,
            "VEVENT without DTSTART");
}

TEST(IcalParse, UnknownTzidWithoutVtimezoneIsRefused) {
  const Error e = ParseError(Calendar(
      "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Mars/Olympus:20240301T100000\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(e.condition, Condition("valid-calendar-data"));
  EXPECT_EQ(e.detail, "TZID Mars/Olympus without VTIMEZONE");
}

TEST(IcalParse, WellKnownTzidWithoutVtimezoneUsesTheBuiltInZone) {
  auto parsed = CalendarObject::Parse(
      Calendar("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/Berlin:20240301T100000\r\n"
               "END:VEVENT\r\n"),
      {});
  ASSERT_TRUE(parsed) << parsed.error().detail;
  // 10:00 CET is 09:00 UTC.
  EXPECT_EQ(parsed->Span(FloatingZone::Utc()).start, 1709283600);
}

TEST(IcalParse, ObjectLargerThanMaxBytesIsTooLarge) {
  CalendarLimits limits;
  limits.max_bytes = 100;
  const Error e = ParseError(Calendar(Event("a")), limits);
  EXPECT_EQ(e.code, Errc::kTooLarge);
  EXPECT_EQ(e.condition, Condition("max-resource-size"));
}

TEST(IcalParse, TooManyComponentsOrPropertiesAreRefused) {
  CalendarLimits components;
  components.max_components = 2;
  EXPECT_EQ(ParseError(Calendar(Event("a",
                                      "BEGIN:VALARM\r\nACTION:DISPLAY\r\n"
                                      "TRIGGER:-PT5M\r\nEND:VALARM\r\n")),
                       components)
                .detail,
            "too many components");
  CalendarLimits properties;
  properties.max_properties = 5;
  EXPECT_EQ(ParseError(Calendar(Event("a")), properties).detail, "too many properties");
}

TEST(IcalParse, SecondVcalendarIsRefused) {
  const std::string one = Calendar(Event("a"));
  EXPECT_EQ(ParseError(one + one).detail, "line 12: more than one VCALENDAR");
}

TEST(IcalParse, UnsupportedRruleIsRefused) {
  EXPECT_EQ(ParseError(Calendar(Event("a", "RRULE:FREQ=WEEKLY;BYMONTHDAY=30\r\n"))).condition,
            Condition("valid-calendar-data"));
}

TEST(IcalParse, RuleThatMatchesNoDayIsAccepted) {
  // RFC 5545 allows it; the set holds DTSTART alone.
  auto parsed = CalendarObject::Parse(
      Calendar(Event("a", "RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31\r\n")), {});
  ASSERT_TRUE(parsed) << parsed.error().detail;
  EXPECT_EQ(parsed->Expand({0, 2000000000}, FloatingZone::Utc()).instances.size(), 1u);
}

TEST(IcalParse, FloatingTimesAreReported) {
  auto parsed = CalendarObject::Parse(
      Calendar("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20240301\r\nEND:VEVENT\r\n"), {});
  ASSERT_TRUE(parsed) << parsed.error().detail;
  EXPECT_TRUE(parsed->floating());
}

TEST(IcalParse, VtimezoneWithNonYearlyObservanceIsRefused) {
  // libical expands observances without bound at every conversion: this one would never end.
  const Error e = ParseError(
      Calendar("BEGIN:VTIMEZONE\r\nTZID:Bad\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\n"
               "TZOFFSETTO:+0100\r\nDTSTART:19700101T000000\r\nRRULE:FREQ=SECONDLY\r\n"
               "END:STANDARD\r\nEND:VTIMEZONE\r\n"
               "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Bad:20240101T100000\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(e.condition, Condition("valid-calendar-data"));
  EXPECT_EQ(e.detail, "VTIMEZONE observance RRULE must be FREQ=YEARLY");
}

TEST(IcalParse, ParsesOnManyThreadsAgreeWithOneThread) {
  const std::string text = Calendar(
      "BEGIN:VEVENT\r\nUID:t\r\nDTSTART;TZID=Europe/Berlin:20240329T100000\r\n"
      "RRULE:FREQ=DAILY;COUNT=5\r\nEND:VEVENT\r\n");
  auto reference = CalendarObject::Parse(text, {});
  ASSERT_TRUE(reference) << reference.error().detail;
  const Instances expected = reference->Expand({0, 2000000000}, FloatingZone::Utc());
  std::vector<int> agreed(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < agreed.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto parsed = CalendarObject::Parse(text, {});
        if (parsed &&
            parsed->Expand({0, 2000000000}, FloatingZone::Utc()).instances == expected.instances) {
          ++agreed[t];
        }
        (void)CalendarObject::Parse("BEGIN:VCALENDAR\r\nbroken\r\n", {});
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(agreed, std::vector<int>(4, 25));
}

TEST(IcalParse, ComponentNamesRoundTrip) {
  EXPECT_EQ(ComponentName(ComponentKind::kTodo), "VTODO");
  EXPECT_EQ(ParseComponentName("vjournal"), ComponentKind::kJournal);
  EXPECT_FALSE(ParseComponentName("VALARM"));
}

TEST(IcalParse, FloatingZoneNeedsExactlyOneVtimezone) {
  auto zone = FloatingZone::Parse(Calendar(""));
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().condition, Condition("valid-calendar-data"));
}

}  // namespace
}  // namespace regie::formats::ical
