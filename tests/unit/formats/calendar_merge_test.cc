#include "formats/ical/calendar_merge.h"

#include <gtest/gtest.h>

namespace regie::formats::ical {
namespace {

const char* kZone =
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

std::string Object(const std::string& uid, bool zone) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\n" +
         std::string(zone ? kZone : "") + "BEGIN:VEVENT\r\nUID:" + uid +
         "\r\nDTSTART;TZID=Europe/Berlin:20260301T100000\r\nSUMMARY:A long summary that \r\n"
         " continues\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\n"
         "END:VCALENDAR\r\n";
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(CalendarMerge, KeepsEveryComponentAndEachTimeZoneOnce) {
  const std::string merged =
      MergeCalendars({Object("a", true), Object("b", true), Object("c", false)}, "Loans; 2026");
  EXPECT_EQ(Count(merged, "BEGIN:VCALENDAR"), 1U);
  EXPECT_EQ(Count(merged, "BEGIN:VEVENT"), 3U);
  EXPECT_EQ(Count(merged, "BEGIN:VALARM"), 3U);
  EXPECT_EQ(Count(merged, "BEGIN:VTIMEZONE"), 1U);
  EXPECT_EQ(Count(merged, "PRODID:"), 1U);
  EXPECT_LT(merged.find("BEGIN:VTIMEZONE"), merged.find("BEGIN:VEVENT"));
  EXPECT_NE(merged.find("X-WR-CALNAME:Loans\\; 2026\r\n"), std::string::npos);
  EXPECT_NE(merged.find("SUMMARY:A long summary that \r\n continues\r\n"), std::string::npos);
  EXPECT_TRUE(merged.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
}

TEST(CalendarMerge, AcceptsBareLineFeeds) {
  std::string object = Object("a", false);
  std::string lf;
  for (char c : object) {
    if (c != '\r') lf.push_back(c);
  }
  EXPECT_EQ(MergeCalendars({lf}, ""), MergeCalendars({object}, ""));
}

}  // namespace
}  // namespace regie::formats::ical
