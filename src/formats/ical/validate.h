// Rules on the times of a calendar component (RFC 5545 §3.6, §3.8.2) that libical's parser does
// not check, and the recurrence facts Parse() records. Internal to formats/ical.
#pragma once

#include "formats/ical/object_impl.h"

namespace regie::formats::ical {

// DTSTART where required, DTEND/DUE not with DURATION, of DTSTART's value type and not before
// it, one RRULE, a TRIGGER in each VALARM. kForbidden with CALDAV:valid-calendar-data.
Result<void> CheckComponentTimes(icalcomponent* comp, const ZoneTable& zones);

// Sets rule_check, recurring and floating; an RRULE libical cannot iterate is refused.
Result<void> DescribeRecurrence(CalendarObject::Impl& impl);

}  // namespace regie::formats::ical
