// What a CalDAV client asks of calendar objects: the filter of a calendar-query (RFC 4791 §9.7)
// and the calendar-data it wants back (§9.6). proto/caldav parses them from XML;
// CalendarObject evaluates and renders them. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formats/text/text_match.h"

namespace regie::formats::ical {

// A span of time in Unix seconds (UTC), half-open [start, end); an absent bound is unbounded.
struct TimeRange {
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> end;
  bool operator==(const TimeRange&) const = default;
};

// RFC 4791 §9.7.3. Names are upper case ("TZID").
struct ParamFilter {
  std::string name;
  bool is_not_defined = false;
  std::optional<text::TextMatch> text_match;
};

// RFC 4791 §9.7.2.
struct PropFilter {
  std::string name;  // "SUMMARY"
  bool is_not_defined = false;
  std::optional<TimeRange> time_range;
  std::optional<text::TextMatch> text_match;
  std::vector<ParamFilter> params;
};

// RFC 4791 §9.7.1. The root filter names VCALENDAR.
struct CompFilter {
  std::string name;  // "VCALENDAR", "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VALARM", …
  bool is_not_defined = false;
  std::optional<TimeRange> time_range;
  std::vector<PropFilter> props;
  std::vector<CompFilter> comps;
};

// RFC 4791 §9.6.1 CALDAV:comp: which components and properties to return.
struct CompSelection {
  std::string name;
  bool all_props = true;           // CALDAV:allprop, or no CALDAV:prop listed.
  std::vector<std::string> props;  // Upper-case names when !all_props.
  bool all_comps = true;           // CALDAV:allcomp, or no CALDAV:comp listed.
  std::vector<CompSelection> comps;
};

// RFC 4791 §9.6: the CALDAV:calendar-data element of a REPORT's DAV:prop.
struct CalendarDataRequest {
  std::optional<CompSelection> comp;  // Absent: the whole object.
  std::optional<TimeRange> expand;    // §9.6.5: instances as separate components, in UTC.
  std::optional<TimeRange> limit_recurrence_set;  // §9.6.6
  std::optional<TimeRange> limit_freebusy_set;    // §9.6.7
};

}  // namespace regie::formats::ical
