// CalendarObject::Render (calendar-data, RFC 4791 §9.6), free-busy (§7.10) and SplitCalendar.
#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "formats/ical/calendar_object.h"
#include "ical_test_util.h"

namespace regie::formats::ical {
namespace {

using namespace ical_test;  // NOLINT(google-build-using-namespace): the shared test helpers.

std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

const std::string kWeekly =
    std::string(kBerlin) +
    "BEGIN:VEVENT\r\nUID:w\r\nDTSTAMP:20240101T000000Z\r\n"
    "DTSTART;TZID=Europe/Berlin:20240325T100000\r\nDTEND;TZID=Europe/Berlin:20240325T110000\r\n"
    "SUMMARY:Standup\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=Europe/Berlin:20240408T100000\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:w\r\nDTSTAMP:20240101T000000Z\r\n"
    "RECURRENCE-ID;TZID=Europe/Berlin:20240415T100000\r\n"
    "DTSTART;TZID=Europe/Berlin:20240415T150000\r\nDTEND;TZID=Europe/Berlin:20240415T160000\r\n"
    "SUMMARY:Standup moved\r\nEND:VEVENT\r\n";

TEST(IcalRender, WithoutOptionsTheStoredTextComesBackUnchanged) {
  const std::string text = Calendar(kWeekly);
  EXPECT_EQ(Parse(text).Render({}, FloatingZone::Utc()), text);
}

TEST(IcalRender, ExpandGivesOneComponentPerInstanceInUtc) {
  CalendarDataRequest request;
  request.expand = TimeRange{Utc(2024, 3, 1), Utc(2024, 5, 1)};
  const std::string out = Parse(Calendar(kWeekly)).Render(request, FloatingZone::Utc());
  // 25 March (CET) and 1 April (CEST); 8 April is excluded; 15 April is moved.
  EXPECT_EQ(Count(out, "BEGIN:VEVENT"), 3u) << out;
  EXPECT_NE(out.find("DTSTART:20240325T090000Z"), std::string::npos) << out;
  EXPECT_NE(out.find("RECURRENCE-ID:20240401T080000Z"), std::string::npos) << out;
  EXPECT_NE(out.find("DTSTART:20240415T130000Z"), std::string::npos) << out;
  EXPECT_NE(out.find("RECURRENCE-ID:20240415T080000Z"), std::string::npos) << out;
  EXPECT_EQ(out.find("RRULE"), std::string::npos);
  EXPECT_EQ(out.find("EXDATE"), std::string::npos);
  EXPECT_EQ(out.find("VTIMEZONE"), std::string::npos);
  EXPECT_EQ(out.find("TZID"), std::string::npos);
}

TEST(IcalRender, ExpandedAllDayInstancesStayDates) {
  CalendarDataRequest request;
  request.expand = TimeRange{Utc(2024, 1, 1), Utc(2024, 1, 3)};
  const std::string out = Parse(Calendar("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20240101\r\n"
                                         "DTEND;VALUE=DATE:20240102\r\nRRULE:FREQ=DAILY\r\n"
                                         "END:VEVENT\r\n"))
                              .Render(request, FloatingZone::Utc());
  EXPECT_EQ(Count(out, "BEGIN:VEVENT"), 2u) << out;
  EXPECT_NE(out.find("DTSTART;VALUE=DATE:20240102"), std::string::npos) << out;
  EXPECT_NE(out.find("DTEND;VALUE=DATE:20240103"), std::string::npos) << out;
  EXPECT_NE(out.find("RECURRENCE-ID;VALUE=DATE:20240102"), std::string::npos) << out;
}

TEST(IcalRender, LimitRecurrenceSetKeepsMasterAndOverlappingOverrides) {
  CalendarDataRequest request;
  request.limit_recurrence_set = TimeRange{Utc(2024, 3, 1), Utc(2024, 4, 10)};
  const std::string out = Parse(Calendar(kWeekly)).Render(request, FloatingZone::Utc());
  EXPECT_EQ(Count(out, "BEGIN:VEVENT"), 1u) << out;
  EXPECT_NE(out.find("RRULE"), std::string::npos);
  request.limit_recurrence_set = TimeRange{Utc(2024, 4, 15), Utc(2024, 4, 16)};
  EXPECT_EQ(Count(Parse(Calendar(kWeekly)).Render(request, FloatingZone::Utc()), "BEGIN:VEVENT"),
            2u);
}

TEST(IcalRender, CompSelectionKeepsOnlyNamedPropertiesAndComponents) {
  CompSelection event;
  event.name = "VEVENT";
  event.all_props = false;
  event.props = {"SUMMARY", "UID"};
  CompSelection root;
  root.name = "VCALENDAR";
  root.all_props = false;
  root.props = {"VERSION"};
  root.all_comps = false;
  root.comps = {event};
  CalendarDataRequest request;
  request.comp = root;
  const std::string out = Parse(Calendar(kWeekly)).Render(request, FloatingZone::Utc());
  EXPECT_NE(out.find("SUMMARY:Standup"), std::string::npos);
  EXPECT_NE(out.find("VERSION:2.0"), std::string::npos);
  EXPECT_EQ(out.find("PRODID"), std::string::npos);
  EXPECT_EQ(out.find("DTSTART"), std::string::npos);
  EXPECT_EQ(out.find("VTIMEZONE"), std::string::npos);
  EXPECT_EQ(Count(out, "BEGIN:VEVENT"), 2u);
}

TEST(IcalFreeBusy, OpaqueEventsAreBusyTentativeMarkedTransparentAndCancelledLeftOut) {
  const std::string events[] = {
      "DTSTART:20240101T090000Z\r\nDTEND:20240101T100000Z\r\n",
      "DTSTART:20240101T093000Z\r\nDTEND:20240101T110000Z\r\n",
      "DTSTART:20240101T120000Z\r\nDTEND:20240101T130000Z\r\nSTATUS:TENTATIVE\r\n",
      "DTSTART:20240101T140000Z\r\nDTEND:20240101T150000Z\r\nTRANSP:TRANSPARENT\r\n",
      "DTSTART:20240101T160000Z\r\nDTEND:20240101T170000Z\r\nSTATUS:CANCELLED\r\n",
  };
  const TimeRange range{Utc(2024, 1, 1), Utc(2024, 1, 2)};
  std::vector<BusyPeriod> periods;
  int uid = 0;
  for (const std::string& e : events) {
    const CalendarObject obj = Parse(
        Calendar("BEGIN:VEVENT\r\nUID:" + std::to_string(++uid) + "\r\n" + e + "END:VEVENT\r\n"));
    for (BusyPeriod& p : obj.FreeBusy(range, FloatingZone::Utc())) periods.push_back(p);
  }
  EXPECT_EQ(periods.size(), 3u);
  const std::string out = RenderFreeBusy(periods, range, Utc(2024, 1, 1));
  EXPECT_NE(out.find("FREEBUSY;FBTYPE=BUSY:20240101T090000Z/20240101T110000Z"), std::string::npos)
      << out;
  EXPECT_NE(out.find("FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240101T120000Z/20240101T130000Z"),
            std::string::npos);
  EXPECT_EQ(Count(out, "FREEBUSY;"), 2u);
  EXPECT_NE(out.find("DTSTART:20240101T000000Z"), std::string::npos);
  EXPECT_NE(out.find("DTEND:20240102T000000Z"), std::string::npos);
}

TEST(IcalFreeBusy, RecurringEventContributesEachInstanceClippedToTheRange) {
  const CalendarObject obj =
      Parse(Calendar("BEGIN:VEVENT\r\nUID:r\r\nDTSTART:20240101T230000Z\r\nDURATION:PT2H\r\n"
                     "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"));
  const auto periods = obj.FreeBusy({Utc(2024, 1, 2), Utc(2024, 1, 3)}, FloatingZone::Utc());
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_EQ(periods[0].start, Utc(2024, 1, 2));
  EXPECT_EQ(periods[0].end, Utc(2024, 1, 2, 1));
  EXPECT_EQ(periods[1].end, Utc(2024, 1, 3));
}

TEST(IcalSplit, ExportBecomesOneObjectPerUidWithTheZonesItUses) {
  const std::string text =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
      "METHOD:PUBLISH\r\n" +
      std::string(kBerlin) +
      "BEGIN:VEVENT\r\nUID:one\r\nDTSTART;TZID=Europe/Berlin:20240101T100000\r\n"
      "RRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:two\r\nDTSTART:20240105T100000Z\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:one\r\nRECURRENCE-ID;TZID=Europe/Berlin:20240102T100000\r\n"
      "DTSTART;TZID=Europe/Berlin:20240102T120000\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nDTSTART:20240105T100000Z\r\nSUMMARY:no uid\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  auto split = SplitCalendar(text, {});
  ASSERT_TRUE(split) << split.error().detail;
  ASSERT_EQ(split->objects.size(), 2u);
  EXPECT_EQ(split->objects[0].uid, "one");
  EXPECT_EQ(Count(split->objects[0].text, "BEGIN:VEVENT"), 2u);
  EXPECT_EQ(Count(split->objects[0].text, "BEGIN:VTIMEZONE"), 1u);
  EXPECT_EQ(split->objects[0].text.find("METHOD"), std::string::npos);
  EXPECT_EQ(split->objects[1].text.find("VTIMEZONE"), std::string::npos);
  ASSERT_EQ(split->refused.size(), 1u);
  EXPECT_EQ(split->refused[0], "VEVENT without UID");
  for (const SplitObject& o : split->objects) EXPECT_TRUE(CalendarObject::Parse(o.text, {}));
}

TEST(IcalSplit, ObjectThatFailsParseIsRefusedWithItsUid) {
  auto split = SplitCalendar(Calendar("BEGIN:VEVENT\r\nUID:bad\r\nDTSTART:20240101T100000Z\r\n"
                                      "DTEND:20240101T090000Z\r\nEND:VEVENT\r\n"),
                             {});
  ASSERT_TRUE(split);
  EXPECT_TRUE(split->objects.empty());
  ASSERT_EQ(split->refused.size(), 1u);
  EXPECT_EQ(split->refused[0], "UID bad: VEVENT: DTEND before DTSTART");
}

TEST(IcalSplit, TextThatIsNotIcalendarIsInvalidInput) {
  auto split = SplitCalendar("just text", {});
  ASSERT_FALSE(split);
  EXPECT_EQ(split.error().code, Errc::kInvalidInput);
}

}  // namespace
}  // namespace regie::formats::ical
