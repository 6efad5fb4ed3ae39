// A pass over the raw lines before libical sees them. libical repairs or drops what it cannot
// read (a line without ':' is skipped, an END without BEGIN is ignored), so the strictness
// RFC 5545 asks for is checked here, with line numbers people can use; and the limits on
// components and properties are enforced before any allocation per component happens.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/result.h"

namespace regie::formats::ical {

// kForbidden with CALDAV:valid-calendar-data (see CalendarObject::Parse).
Error InvalidData(const std::string& detail);
// kForbidden with CALDAV:valid-calendar-object-resource.
Error InvalidResource(const std::string& detail);

enum class Calendars { kOne, kMany };

struct LineCounts {
  std::size_t components = 0;
  std::size_t properties = 0;
};

// Checks UTF-8, control characters, "NAME[;PARAM...]:VALUE" lines, BEGIN/END nesting under one
// VCALENDAR (or a sequence of them with Calendars::kMany) and the two limits.
Result<LineCounts> Prescan(std::string_view text, std::size_t max_components,
                           std::size_t max_properties, Calendars calendars);

}  // namespace regie::formats::ical
