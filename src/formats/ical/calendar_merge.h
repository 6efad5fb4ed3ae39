// One iCalendar file out of many calendar object resources: a calendar's export (GET
// <calendar>/?export, and the published .ics). Works on content lines, without a full parse, so
// an export of many objects costs one pass over their bytes. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace regie::formats::ical {

// One VCALENDAR holding the components of every object in order, each VTIMEZONE once (by its
// TZID), with `name` as X-WR-CALNAME when not empty. Objects are calendar object resources
// (validated when stored); their own VCALENDAR properties (VERSION, PRODID, …) are dropped.
// Lines end in CRLF.
std::string MergeCalendars(const std::vector<std::string>& objects, std::string_view name);

}  // namespace regie::formats::ical
