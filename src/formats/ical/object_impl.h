// The parsed calendar object behind CalendarObject and FloatingZone, and the occurrences of its
// components: the unit every time-based operation (Span, Expand, filters, expand, free-busy)
// works on. Internal to formats/ical.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/ical/calendar_object.h"
#include "formats/ical/ical_internal.h"

namespace regie::formats::ical {

struct FloatingZone::Impl {
  ZonePtr zone;  // nullptr: UTC.
};

// Whether the master's RRULE can be expanded in bounded time (see recurrence.h).
enum class RuleCheck {
  kNone,     // No RRULE.
  kIterate,  // Each iterator step costs at most max_iterations units of the rule's frequency.
  kEmpty,    // No day can ever match (BYMONTH=4;BYMONTHDAY=31): only DTSTART and RDATEs.
  kUnsafe,   // An iterator step could take unbounded time: not expanded, reported truncated.
};

struct CalendarObject::Impl {
  std::string text;  // As received: Render() without options returns it unchanged.
  ComponentPtr root;
  ZoneTable zones;
  CalendarLimits limits;
  std::string uid;
  ComponentKind kind = ComponentKind::kEvent;
  icalcomponent* master = nullptr;        // Without RECURRENCE-ID; may be absent (§4.1).
  std::vector<icalcomponent*> overrides;  // With RECURRENCE-ID.
  RuleCheck rule_check = RuleCheck::kNone;
  bool recurring = false;
  bool floating = false;
};

// The time context of `impl` under `zone`.
TimeContext ContextOf(const CalendarObject::Impl& impl, const FloatingZone& zone);

// Which RFC 4791 §9.9 rule decides whether an occurrence overlaps a time range; `a` and `b` are
// the times that rule names.
enum class Shape {
  kSpan,       // [a, b); a zero-length span overlaps when start <= a < end.
  kClosedEnd,  // VFREEBUSY with DTSTART and DTEND: start <= b and end > a.
  kTodoStartDuration,
  kTodoStartDue,
  kTodoDue,               // b = DUE
  kTodoCompletedCreated,  // a = CREATED, b = COMPLETED
  kTodoCompleted,         // b = COMPLETED
  kTodoCreated,           // a = CREATED
  kAlways,                // A VTODO without any time.
  kNever,                 // A VJOURNAL without DTSTART, a VFREEBUSY without times.
};

struct Occurrence {
  Shape shape = Shape::kSpan;
  std::int64_t a = 0;
  std::int64_t b = 0;
  icalcomponent* component = nullptr;  // Supplies the properties: the master or an override.
  // For instances of a recurrence set: the instance's original start (its RECURRENCE-ID), in
  // the master's zone as libical computed it, and as Unix time.
  bool in_set = false;
  icaltimetype recurrence_id{};
  std::int64_t recurrence_unix = 0;
  icaltimetype local_start{};  // The (possibly moved) start in its own zone; DATE for all-day.
};

// RFC 4791 §9.9.
bool Overlaps(const Occurrence& o, const TimeRange& range);
// The Instance reported for `o`; absent bounds (kAlways, kTodoCreated) as INT64 min/max.
Instance InstanceOf(const Occurrence& o);

// The occurrence of a single component (no recurrence): its §9.9 shape from its own properties.
// For VFREEBUSY with only FREEBUSY periods, one occurrence per period.
std::vector<Occurrence> OccurrencesOfComponent(icalcomponent* comp, const TimeContext& ctx);

// The length an instance of `comp` has, to apply to each recurrence start: nominal days (DATE
// values, DURATION's days and weeks) plus exact seconds. For VTODO, the length to DUE.
struct InstanceLength {
  int days = 0;
  std::int64_t seconds = 0;
};
InstanceLength LengthOf(icalcomponent* comp, const TimeContext& ctx);

// The occurrence of `comp` moved to start at `start` (local time in the master's zone).
Occurrence OccurrenceAt(icalcomponent* comp, const icaltimetype& start, const InstanceLength& len,
                        const TimeContext& ctx);

}  // namespace regie::formats::ical
