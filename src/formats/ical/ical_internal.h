// Internals shared by the iCalendar files: ownership of libical objects, time-zone resolution and
// conversion of property values to Unix time. Not part of the module's contract.
#pragma once

#include <libical/ical.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace regie::formats::ical {

// Sets libical's process-wide error behaviour once: errors become X-LIC-ERROR properties and
// null results, never aborts. Every entry point calls it; it is cheap after the first call.
void InitLibical();

struct ComponentFree {
  void operator()(icalcomponent* c) const noexcept { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;
struct ZoneFree {
  void operator()(icaltimezone* z) const noexcept { icaltimezone_free(z, 1); }
};
using ZonePtr = std::unique_ptr<icaltimezone, ZoneFree>;

// A time zone of its own from a clone of `vtimezone`; nullptr when libical cannot use it.
ZonePtr ZoneFromComponent(icalcomponent* vtimezone);

// Refuses a VTIMEZONE whose observances libical could not expand in bounded time.
Result<void> CheckObservances(icalcomponent* vtimezone);

// Copies a string libical allocated for the caller (the *_r functions) and frees it.
std::string TakeIcalString(char* owned);
std::string AsciiUpper(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The upper-case name of a component or property ("VEVENT", "X-FOO").
std::string ComponentNameOf(const icalcomponent* comp);
std::string PropertyNameOf(const icalproperty* prop);

// Calls `fn` for each direct child component (any kind), in order.
void ForEachChild(icalcomponent* parent, const std::function<void(icalcomponent*)>& fn);
// Calls `fn` for each property of `comp` (not of its children), in order.
void ForEachProperty(icalcomponent* comp, const std::function<void(icalproperty*)>& fn);

// The time zones an object's TZID parameters name. Each zone is private to its table (built from
// a clone of the VTIMEZONE), so objects on different threads never share a zone's change cache.
class ZoneTable {
 public:
  // Adds every VTIMEZONE child of `vcalendar`; a VTIMEZONE without TZID or a TZID defined twice
  // is an error (Error::detail says which).
  Result<void> AddFrom(icalcomponent* vcalendar);
  // Makes `tzid` resolvable: found among the VTIMEZONEs, else libical's built-in zone of that
  // IANA name (clients that omit the VTIMEZONE of a well-known zone); else an error.
  Result<void> Require(std::string_view tzid);
  // nullptr when `tzid` is unknown.
  const icaltimezone* Find(std::string_view tzid) const;
  bool Defines(std::string_view tzid) const { return Find(tzid) != nullptr; }

 private:
  std::map<std::string, ZonePtr, std::less<>> zones_;
};

// How values become UTC: the object's zones and the zone that gives floating times and DATEs
// their meaning (nullptr: UTC).
struct TimeContext {
  const ZoneTable* zones = nullptr;
  const icaltimezone* floating = nullptr;
};

// The DATE or DATE-TIME value of `prop` with its zone attached: UTC, the TZID's zone, or
// nullptr for floating times and DATEs. Null time when the property has no such value.
icaltimetype PropertyTime(icalproperty* prop, const ZoneTable& zones);
// The same for a value that came out of `prop` (EXDATE lists, RDATE periods).
icaltimetype AttachZone(icaltimetype value, icalproperty* prop, const ZoneTable& zones);
// Whether where `t` falls depends on the floating zone.
bool IsFloating(const icaltimetype& t);
// Unix seconds of `t`; floating times and DATEs (midnight) in ctx.floating.
std::int64_t ToUnix(const icaltimetype& t, const TimeContext& ctx);
icaltimetype UtcFromUnix(std::int64_t unix_seconds);
// RFC 5545 §3.3.6: weeks and days are nominal (added to the wall clock), the rest exact.
std::int64_t AddDuration(const icaltimetype& start, const icaldurationtype& d,
                         const TimeContext& ctx);
std::int64_t DurationSeconds(const icaldurationtype& d);
// The nominal days of `d` (weeks and days, signed), clamped to ±10,000 years so that hostile
// values cannot overflow the int arithmetic of icaltime_adjust.
int NominalDays(const icaldurationtype& d);

inline constexpr std::int64_t kDay = 86400;

}  // namespace regie::formats::ical
