// Recurrence expansion, Span and the caps that keep hostile rules cheap.
#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "formats/ical/calendar_object.h"
#include "ical_test_util.h"

namespace regie::formats::ical {
namespace {

using namespace ical_test;  // NOLINT(google-build-using-namespace): the shared test helpers.

FloatingZone BerlinZone() {
  auto zone = FloatingZone::Parse(Calendar(kBerlin));
  EXPECT_TRUE(zone);
  return std::move(*zone);
}

std::vector<std::int64_t> Starts(const Instances& got) {
  std::vector<std::int64_t> out;
  for (const Instance& i : got.instances) out.push_back(i.start);
  return out;
}

TEST(IcalExpand, WeeklyRuleSkipsExdateAndMovesOverride) {
  const CalendarObject obj = Parse(
      Calendar("BEGIN:VEVENT\r\nUID:w\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\n"
               "RRULE:FREQ=WEEKLY;COUNT=5\r\nEXDATE:20240108T100000Z\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:w\r\nRECURRENCE-ID:20240115T100000Z\r\n"
               "DTSTART:20240116T140000Z\r\nDTEND:20240116T150000Z\r\nEND:VEVENT\r\n"));
  const Instances got = obj.Expand({Utc(2024, 1, 1), Utc(2024, 3, 1)}, FloatingZone::Utc());
  EXPECT_FALSE(got.truncated);
  EXPECT_EQ(Starts(got), (std::vector<std::int64_t>{Utc(2024, 1, 1, 10), Utc(2024, 1, 16, 14),
                                                    Utc(2024, 1, 22, 10), Utc(2024, 1, 29, 10)}));
  EXPECT_EQ(got.instances[1].end, Utc(2024, 1, 16, 15));
}

TEST(IcalExpand, OnlyInstancesOverlappingTheWindowAreReturned) {
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20240101T100000Z\r\nDURATION:PT2H\r\n"
                     "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"));
  // The window starts inside the 5 March instance (10:00-12:00).
  const Instances got = obj.Expand({Utc(2024, 3, 5, 11), Utc(2024, 3, 7)}, FloatingZone::Utc());
  EXPECT_EQ(Starts(got), (std::vector<std::int64_t>{Utc(2024, 3, 5, 10), Utc(2024, 3, 6, 10)}));
}

TEST(IcalExpand, RdateAddsInstancesIncludingPeriods) {
  const CalendarObject obj = Parse(Calendar(
      "BEGIN:VEVENT\r\nUID:r\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\n"
      "RDATE:20240105T080000Z\r\nRDATE;VALUE=PERIOD:20240110T080000Z/PT3H\r\nEND:VEVENT\r\n"));
  const Instances got = obj.Expand({Utc(2024, 1, 1), Utc(2024, 2, 1)}, FloatingZone::Utc());
  ASSERT_EQ(got.instances.size(), 3u);
  EXPECT_EQ(got.instances[1], (Instance{Utc(2024, 1, 5, 8), Utc(2024, 1, 5, 9)}));
  EXPECT_EQ(got.instances[2], (Instance{Utc(2024, 1, 10, 8), Utc(2024, 1, 10, 11)}));
  EXPECT_TRUE(obj.recurring());
}

TEST(IcalExpand, BerlinTimeStaysAtTenAcrossTheDstChange) {
  const CalendarObject obj = Parse(Calendar(
      std::string(kBerlin) +
      "BEGIN:VEVENT\r\nUID:b\r\nDTSTART;TZID=Europe/Berlin:20240329T100000\r\n"
      "DTEND;TZID=Europe/Berlin:20240329T110000\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n"));
  const Instances got = obj.Expand({Utc(2024, 3, 1), Utc(2024, 4, 30)}, FloatingZone::Utc());
  // 29 and 30 March are CET (UTC+1); 31 March is CEST (UTC+2).
  EXPECT_EQ(Starts(got), (std::vector<std::int64_t>{Utc(2024, 3, 29, 9), Utc(2024, 3, 30, 9),
                                                    Utc(2024, 3, 31, 8)}));
  EXPECT_FALSE(obj.floating());
}

TEST(IcalExpand, AllDayEventFollowsTheFloatingZone) {
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20240710\r\nEND:VEVENT\r\n"));
  EXPECT_TRUE(obj.floating());
  const TimeRange utc = obj.Span(FloatingZone::Utc());
  EXPECT_EQ(utc, (TimeRange{Utc(2024, 7, 10), Utc(2024, 7, 11)}));
  // Midnight in Berlin in summer is 22:00 UTC the day before.
  const TimeRange berlin = obj.Span(BerlinZone());
  EXPECT_EQ(berlin, (TimeRange{Utc(2024, 7, 9, 22), Utc(2024, 7, 10, 22)}));
}

TEST(IcalExpand, FloatingDailyRuleUsesTheFloatingZone) {
  const CalendarObject obj = Parse(
      Calendar("BEGIN:VEVENT\r\nUID:f\r\nDTSTART:20240101T090000\r\nRRULE:FREQ=DAILY;COUNT=2\r\n"
               "END:VEVENT\r\n"));
  const Instances got = obj.Expand({Utc(2024, 1, 1), Utc(2024, 1, 3)}, BerlinZone());
  EXPECT_EQ(Starts(got), (std::vector<std::int64_t>{Utc(2024, 1, 1, 8), Utc(2024, 1, 2, 8)}));
}

TEST(IcalExpand, ThisAndFutureOverrideMovesLaterInstances) {
  const CalendarObject obj = Parse(
      Calendar("BEGIN:VEVENT\r\nUID:t\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\n"
               "RRULE:FREQ=DAILY;COUNT=4\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:t\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:20240102T100000Z\r\n"
               "DTSTART:20240102T120000Z\r\nDTEND:20240102T130000Z\r\nEND:VEVENT\r\n"));
  const Instances got = obj.Expand({Utc(2024, 1, 1), Utc(2024, 2, 1)}, FloatingZone::Utc());
  EXPECT_EQ(Starts(got), (std::vector<std::int64_t>{Utc(2024, 1, 1, 10), Utc(2024, 1, 2, 12),
                                                    Utc(2024, 1, 3, 12), Utc(2024, 1, 4, 12)}));
}

TEST(IcalExpand, EndlessSecondlyRuleIsTruncatedByTheInstanceCap) {
  CalendarLimits limits;
  limits.max_instances = 50;
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:s\r\nDTSTART:20000101T000000Z\r\nRRULE:FREQ=SECONDLY\r\n"
                     "END:VEVENT\r\n"),
            limits);
  // Far from DTSTART: the walk starts near the window instead of stepping from the year 2000.
  const Instances got = obj.Expand({Utc(2024, 1, 1), Utc(2025, 1, 1)}, FloatingZone::Utc());
  EXPECT_TRUE(got.truncated);
  ASSERT_EQ(got.instances.size(), 50u);
  EXPECT_EQ(got.instances.front().start, Utc(2024, 1, 1));
  EXPECT_EQ(obj.Span(FloatingZone::Utc()).end, std::nullopt);
}

TEST(IcalExpand, HugeCountIsTruncatedByTheIterationCap) {
  const CalendarObject obj = Parse(Calendar(
      "BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20000101T000000Z\r\nRRULE:FREQ=MINUTELY;COUNT=100000000\r\n"
      "END:VEVENT\r\n"));
  const Instances got = obj.Expand({Utc(2024, 1, 1), Utc(2024, 1, 2)}, FloatingZone::Utc());
  EXPECT_TRUE(got.truncated);
  EXPECT_TRUE(got.instances.empty());
  // COUNT would end the rule, but the cap stops before the last instance: the span stays open.
  const TimeRange span = obj.Span(FloatingZone::Utc());
  EXPECT_EQ(span.start, Utc(2000, 1, 1));
  EXPECT_EQ(span.end, std::nullopt);
}

TEST(IcalExpand, RuleThatStepsForeverIsNotIterated) {
  // libical would step through every second until the year 2582 looking for 29 February.
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20240301T000000Z\r\n"
                     "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29\r\nEND:VEVENT\r\n"));
  const Instances got = obj.Expand({Utc(2024, 1, 1), Utc(2030, 1, 1)}, FloatingZone::Utc());
  EXPECT_TRUE(got.truncated);
  EXPECT_EQ(Starts(got), (std::vector<std::int64_t>{Utc(2024, 3, 1)}));
}

TEST(IcalExpand, RuleThatMatchesNoDayYieldsOnlyDtstart) {
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:n\r\nDTSTART:20240101T000000Z\r\n"
                     "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\n"));
  const Instances got = obj.Expand({Utc(2023, 1, 1), Utc(2030, 1, 1)}, FloatingZone::Utc());
  EXPECT_FALSE(got.truncated);
  EXPECT_EQ(Starts(got), (std::vector<std::int64_t>{Utc(2024, 1, 1)}));
  EXPECT_EQ(obj.Span(FloatingZone::Utc()), (TimeRange{Utc(2024, 1, 1), Utc(2024, 1, 1)}));
}

TEST(IcalExpand, SparseDailyRuleCountsItsStepsAgainstTheIterationCap) {
  CalendarLimits limits;
  limits.max_iterations = 100;
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:m\r\nDTSTART:20240131T090000Z\r\n"
                     "RRULE:FREQ=DAILY;BYMONTHDAY=31;COUNT=50\r\nEND:VEVENT\r\n"),
            limits);
  // Each 31st is up to 62 days after the previous one: 100 steps reach about three of them.
  const Instances got = obj.Expand({Utc(2024, 1, 1), Utc(2030, 1, 1)}, FloatingZone::Utc());
  EXPECT_TRUE(got.truncated);
  EXPECT_LT(got.instances.size(), 5u);
  EXPECT_GE(got.instances.size(), 2u);
}

TEST(IcalExpand, SpanOfCountedRuleEndsWithItsLastInstance) {
  const CalendarObject obj = Parse(
      Calendar("BEGIN:VEVENT\r\nUID:s\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\n"
               "RRULE:FREQ=MONTHLY;COUNT=3\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(obj.Span(FloatingZone::Utc()), (TimeRange{Utc(2024, 1, 1, 10), Utc(2024, 3, 1, 11)}));
}

TEST(IcalExpand, SpanOfUntilRuleEndsAtUntil) {
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:u\r\nDTSTART:20240101T100000Z\r\nDURATION:PT1H\r\n"
                     "RRULE:FREQ=WEEKLY;UNTIL=20240122T100000Z\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(obj.Span(FloatingZone::Utc()), (TimeRange{Utc(2024, 1, 1, 10), Utc(2024, 1, 22, 11)}));
}

TEST(IcalExpand, SpanOfEndlessRuleHasNoEnd) {
  const CalendarObject obj = Parse(Calendar(
      "BEGIN:VEVENT\r\nUID:e\r\nDTSTART:20240101T100000Z\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(obj.Span(FloatingZone::Utc()), (TimeRange{Utc(2024, 1, 1, 10), std::nullopt}));
}

TEST(IcalExpand, TodoWithoutDatesSpansEverything) {
  const CalendarObject obj = Parse(Calendar("BEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\n"));
  EXPECT_EQ(obj.Span(FloatingZone::Utc()), (TimeRange{}));
}

TEST(IcalExpand, EventWithoutEndLastsNoTimeAndAllDayEventOneDay) {
  const CalendarObject timed =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:p\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n"));
  EXPECT_EQ(timed.Span(FloatingZone::Utc()), (TimeRange{Utc(2024, 1, 1, 10), Utc(2024, 1, 1, 10)}));
}

}  // namespace
}  // namespace regie::formats::ical
