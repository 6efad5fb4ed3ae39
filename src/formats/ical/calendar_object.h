// Calendar object resources (RFC 4791 §4.1) on libical: parsing and validation, the time span and
// instances a recurring object covers, calendar-query filter evaluation (§9.7, §9.9), the
// calendar-data a REPORT returns (§9.6) and free-busy periods (§7.10).
//
// Every operation is bounded: parsing by CalendarLimits (bytes, components, properties), and
// recurrence expansion by a cap on instances and on iterations, so an RRULE without end or a
// COUNT of millions cannot exhaust memory or CPU.
//
// Threads: a CalendarObject or FloatingZone belongs to one thread at a time (libical caches a
// zone's transitions inside the zone); distinct objects may be used concurrently, since each
// object owns private copies of its time zones. libical's process-wide error policy is set
// once, thread-safely, by the first Parse(); built-in zones (for a TZID without VTIMEZONE) are
// looked up under a mutex and copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "formats/ical/calendar_filter.h"

namespace regie::formats::ical {

inline constexpr std::string_view kCalDavNs = "urn:ietf:params:xml:ns:caldav";

enum class ComponentKind { kEvent, kTodo, kJournal, kFreeBusy };
std::string_view ComponentName(ComponentKind kind);                      // "VEVENT", …
std::optional<ComponentKind> ParseComponentName(std::string_view name);  // Case-insensitive.

struct CalendarLimits {
  std::size_t max_bytes = std::size_t{1} << 20;  // CALDAV:max-resource-size.
  std::size_t max_components = 1000;             // Overridden instances, alarms, time zones.
  std::size_t max_properties = 20000;
  std::size_t max_instances = 10000;  // Instances one expansion returns at most.
  // Recurrence iterations one expansion may take (rules that rarely match, like BYMONTHDAY=31
  // with FREQ=DAILY, iterate much more often than they yield).
  std::size_t max_iterations = 200000;
};

// The time zone that gives floating times and dates (all-day events) their meaning: UTC, or
// the one VTIMEZONE of a calendar-timezone property or CALDAV:timezone element (RFC 4791 §5.2.2).
class FloatingZone {
 public:
  static FloatingZone Utc();
  // `vcalendar` is an iCalendar object holding exactly one VTIMEZONE; else kForbidden with
  // CALDAV:valid-calendar-data (the precondition of calendar-timezone, §5.2.2).
  static Result<FloatingZone> Parse(std::string_view vcalendar);
  FloatingZone(FloatingZone&&) noexcept;
  FloatingZone& operator=(FloatingZone&&) noexcept;
  ~FloatingZone();

  struct Impl;
  const Impl* impl() const { return impl_.get(); }

 private:
  explicit FloatingZone(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One occurrence of a (possibly recurring) component, in Unix seconds UTC; end >= start.
struct Instance {
  std::int64_t start = 0;
  std::int64_t end = 0;
  bool operator==(const Instance&) const = default;
};

struct Instances {
  std::vector<Instance> instances;  // Ascending by start.
  // A cap (max_instances or max_iterations) stopped the expansion before the window's end.
  bool truncated = false;
};

struct BusyPeriod {
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::string type;  // FBTYPE: "BUSY", "BUSY-TENTATIVE", "BUSY-UNAVAILABLE".
};

class CalendarObject {
 public:
  // Parses and validates one calendar object resource. Errors (Error::detail says why, for
  // people): kForbidden with condition {kCalDavNs, "valid-calendar-data"} when `text` is not
  // iCalendar (RFC 5545) or breaks a limit on components or properties;
  // {kCalDavNs, "valid-calendar-object-resource"} when it is iCalendar but not a calendar object
  // resource (§4.1: no component, components of different kinds or UIDs, a METHOD property, a
  // missing UID, two masters); {kCalDavNs, "max-resource-size"} (kTooLarge) beyond max_bytes.
  static Result<CalendarObject> Parse(std::string_view text, const CalendarLimits& limits);

  CalendarObject(CalendarObject&&) noexcept;
  CalendarObject& operator=(CalendarObject&&) noexcept;
  ~CalendarObject();

  const std::string& uid() const;
  ComponentKind kind() const;
  // RRULE, RDATE or overridden instances (RECURRENCE-ID).
  bool recurring() const;
  // Some instance time is floating or a DATE: where it falls depends on the FloatingZone.
  bool floating() const;

  // From the start of the first instance to the end of the last (RFC 4791 §9.9 rules for
  // components without DTEND or DURATION, VTODO and VJOURNAL); end is empty when the recurrence
  // has no end or when max_iterations stopped the walk before its last instance. A component
  // without any time (a VTODO without dates) spans everything; an object with no instance that
  // can overlap anything (a VJOURNAL without DTSTART, every instance excluded) spans [0, 0).
  TimeRange Span(const FloatingZone& zone) const;
  // The instances overlapping `window` (both bounds set), per §9.9, EXDATE and overrides applied.
  Instances Expand(const TimeRange& window, const FloatingZone& zone) const;

  // Whether the object matches a calendar-query filter whose root names VCALENDAR (§9.7).
  bool Matches(const CompFilter& filter, const FloatingZone& zone) const;

  // The CALDAV:calendar-data to return for `request`: the object with only the selected
  // components and properties, expanded or limited to a time range (§9.6).
  std::string Render(const CalendarDataRequest& request, const FloatingZone& zone) const;

  // The busy periods of this object inside `range` (§7.10): opaque (TRANSP not TRANSPARENT),
  // not cancelled events, and VFREEBUSY periods.
  std::vector<BusyPeriod> FreeBusy(const TimeRange& range, const FloatingZone& zone) const;

  struct Impl;

 private:
  explicit CalendarObject(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The VFREEBUSY answer to a free-busy-query (§7.10): one VCALENDAR with DTSTART/DTEND of `range`
// and merged FREEBUSY periods (overlapping or adjacent periods of one FBTYPE become one, clipped
// to nothing else: FreeBusy() already clips). DTSTAMP is the current time.
std::string RenderFreeBusy(const std::vector<BusyPeriod>& periods, const TimeRange& range);
// The same with DTSTAMP given (Unix seconds), for reproducible output.
std::string RenderFreeBusy(const std::vector<BusyPeriod>& periods, const TimeRange& range,
                           std::int64_t dtstamp);

// One calendar object resource cut out of a whole calendar (an export from Google or Outlook):
// the components sharing a UID, with the VTIMEZONEs they use.
struct SplitObject {
  std::string uid;
  std::string text;  // A VCALENDAR ready for CalendarObject::Parse.
};

struct SplitResult {
  std::vector<SplitObject> objects;
  // Components that could not become an object, each with the reason ("VEVENT without UID").
  std::vector<std::string> refused;
};

// Splits a whole .ics (one or more VCALENDARs) into calendar object resources. kInvalidInput
// when `text` is not iCalendar at all. `limits.max_bytes` bounds each object, not the file.
Result<SplitResult> SplitCalendar(std::string_view text, const CalendarLimits& limits);

}  // namespace regie::formats::ical
