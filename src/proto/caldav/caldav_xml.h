// Pieces of the CalDAV REPORT grammar shared by the report parsers (private to proto/caldav).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "formats/ical/calendar_filter.h"
#include "formats/xml/xml_element.h"

namespace regie::proto::caldav::detail {

// kForbidden with the CalDAV precondition {kCalDavNs, `condition`} and `detail` for the client.
tl::unexpected<Error> Precondition(std::string_view condition, const std::string& detail);

// ASCII upper case: iCalendar names are case-insensitive (RFC 5545 §2) and compared upper-cased.
std::string UpperAscii(std::string_view name);

enum class Bounds { kAtLeastOne, kBoth };

// The start and end attributes of a CALDAV:time-range, expand, limit-recurrence-set or
// limit-freebusy-set (RFC 4791 §9.9, §9.6.5-§9.6.7). `what` names the element in errors.
Result<formats::ical::TimeRange> ParseTimeRange(const formats::xml::XmlElement& e, Bounds bounds,
                                                std::string_view what);

// The one comp-filter of a CALDAV:filter (RFC 4791 §9.7), checked against CALDAV:valid-filter.
Result<formats::ical::CompFilter> ParseFilter(const formats::xml::XmlElement& filter);

// The CALDAV:calendar-data element of `prop` (a DAV:prop), or nullopt when it has none.
Result<std::optional<formats::ical::CalendarDataRequest>> FindCalendarData(
    const formats::xml::XmlElement* prop);

}  // namespace regie::proto::caldav::detail
