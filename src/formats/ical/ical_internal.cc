#include "formats/ical/ical_internal.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <vector>

#include "formats/ical/ical_prescan.h"

namespace regie::formats::ical {
ZonePtr ZoneFromComponent(icalcomponent* vtimezone) {
  ZonePtr zone(icaltimezone_new());
  icalcomponent* clone = icalcomponent_new_clone(vtimezone);
  // On success the zone owns the clone; on failure (no TZID) it does not.
  if (!zone || !clone || !icaltimezone_set_component(zone.get(), clone)) {
    if (clone) icalcomponent_free(clone);
    return nullptr;
  }
  return zone;
}

void InitLibical() {
  static std::once_flag once;
  // libical keeps its error policy in process-wide variables: written once here, only read by
  // the parser afterwards. icalerrno and the string ring buffers are per thread (pthread keys),
  // so concurrent parses on different threads need no lock.
  std::call_once(once, [] {
    icalerror_set_errors_are_fatal(0);
    for (int e = ICAL_BADARG_ERROR; e <= ICAL_UNKNOWN_ERROR; ++e) {
      icalerror_set_error_state(static_cast<icalerrorenum>(e), ICAL_ERROR_NONFATAL);
    }
    (void)icaltimezone_get_utc_timezone();
  });
}

std::string TakeIcalString(char* owned) {
  if (!owned) return {};
  std::string copy(owned);
  icalmemory_free_buffer(owned);
  return copy;
}

std::string AsciiUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && AsciiUpper(a) == AsciiUpper(b);
}

std::string ComponentNameOf(const icalcomponent* comp) {
  const char* name =
      icalcomponent_kind_to_string(icalcomponent_isa(const_cast<icalcomponent*>(comp)));
  return name ? std::string(name) : std::string();
}

std::string PropertyNameOf(const icalproperty* prop) {
  return AsciiUpper(TakeIcalString(icalproperty_get_property_name_r(prop)));
}

void ForEachChild(icalcomponent* parent, const std::function<void(icalcomponent*)>& fn) {
  // icalcomponent_get_next_component keeps its cursor in the parent, so a nested walk of the
  // same parent would disturb it: collect first.
  std::vector<icalcomponent*> children;
  for (icalcomponent* c = icalcomponent_get_first_component(parent, ICAL_ANY_COMPONENT); c;
       c = icalcomponent_get_next_component(parent, ICAL_ANY_COMPONENT)) {
    children.push_back(c);
  }
  for (icalcomponent* c : children) fn(c);
}

void ForEachProperty(icalcomponent* comp, const std::function<void(icalproperty*)>& fn) {
  std::vector<icalproperty*> props;
  for (icalproperty* p = icalcomponent_get_first_property(comp, ICAL_ANY_PROPERTY); p;
       p = icalcomponent_get_next_property(comp, ICAL_ANY_PROPERTY)) {
    props.push_back(p);
  }
  for (icalproperty* p : props) fn(p);
}

Result<void> CheckObservances(icalcomponent* vtimezone) {
  // libical expands a zone's observances with the same iterator as events, unbounded, whenever
  // a time is converted: an observance rule other than a plain yearly one (FREQ=SECONDLY, a
  // BYMONTHDAY that never matches) would hang every conversion. Real zones are yearly.
  bool ok = true;
  ForEachChild(vtimezone, [&](icalcomponent* observance) {
    ForEachProperty(observance, [&](icalproperty* p) {
      if (!ok || icalproperty_isa(p) != ICAL_RRULE_PROPERTY) return;
      const icalrecurrencetype rule = icalproperty_get_rrule(p);
      ok = rule.freq == ICAL_YEARLY_RECURRENCE && !rule.rscale &&
           !icalcomponent_get_first_property(observance, ICAL_XLICERROR_PROPERTY);
    });
  });
  if (!ok) return Fail(InvalidData("VTIMEZONE observance RRULE must be FREQ=YEARLY"));
  return Ok();
}

Result<void> ZoneTable::AddFrom(icalcomponent* vcalendar) {
  std::optional<Error> failure;
  ForEachChild(vcalendar, [&](icalcomponent* child) {
    if (failure || icalcomponent_isa(child) != ICAL_VTIMEZONE_COMPONENT) return;
    icalproperty* tzid = icalcomponent_get_first_property(child, ICAL_TZID_PROPERTY);
    const char* name = tzid ? icalproperty_get_tzid(tzid) : nullptr;
    if (auto checked = CheckObservances(child); !checked) {
      failure = checked.error();
    } else if (!name || !*name) {
      failure = InvalidData("VTIMEZONE without TZID");
    } else if (zones_.count(name)) {
      failure = InvalidData(std::string("VTIMEZONE ") + name + " defined twice");
    } else if (ZonePtr zone = ZoneFromComponent(child)) {
      zones_.emplace(name, std::move(zone));
    } else {
      failure = InvalidData(std::string("VTIMEZONE ") + name + " is not usable");
    }
  });
  if (failure) return Fail(std::move(*failure));
  return Ok();
}

Result<void> ZoneTable::Require(std::string_view tzid) {
  if (Find(tzid)) return Ok();
  // libical loads built-in zones lazily into a shared cache; its own locking of that cache has
  // changed between releases, so lookups are serialised here. The zone's definition is then
  // cloned, so no built-in zone is shared with other threads afterwards.
  static std::mutex builtin_mutex;
  std::lock_guard<std::mutex> lock(builtin_mutex);
  const std::string name(tzid);
  icaltimezone* builtin = icaltimezone_get_builtin_timezone(name.c_str());
  icalcomponent* definition = builtin ? icaltimezone_get_component(builtin) : nullptr;
  ZonePtr zone = definition ? ZoneFromComponent(definition) : nullptr;
  if (!zone) return Fail(InvalidData("TZID " + name + " without VTIMEZONE"));
  zones_.emplace(name, std::move(zone));
  return Ok();
}

const icaltimezone* ZoneTable::Find(std::string_view tzid) const {
  auto it = zones_.find(tzid);
  return it == zones_.end() ? nullptr : it->second.get();
}

icaltimetype AttachZone(icaltimetype value, icalproperty* prop, const ZoneTable& zones) {
  if (value.is_date) {
    value.zone = nullptr;
  } else if (!icaltime_is_utc(value)) {
    value.zone = nullptr;
    if (icalparameter* tzid = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER)) {
      const char* name = icalparameter_get_tzid(tzid);
      value.zone = name ? zones.Find(name) : nullptr;
    }
  }
  return value;
}

icaltimetype PropertyTime(icalproperty* prop, const ZoneTable& zones) {
  icalvalue* value = prop ? icalproperty_get_value(prop) : nullptr;
  if (!value) return icaltime_null_time();
  switch (icalvalue_isa(value)) {
    case ICAL_DATETIME_VALUE:
    case ICAL_DATE_VALUE:
      return AttachZone(icalvalue_get_datetime(value), prop, zones);
    case ICAL_DATETIMEPERIOD_VALUE: {
      icaldatetimeperiodtype dp = icalvalue_get_datetimeperiod(value);
      return AttachZone(icaltime_is_null_time(dp.time) ? dp.period.start : dp.time, prop, zones);
    }
    default:
      return icaltime_null_time();
  }
}

bool IsFloating(const icaltimetype& t) { return t.is_date || t.zone == nullptr; }

std::int64_t ToUnix(const icaltimetype& t, const TimeContext& ctx) {
  const icaltimezone* zone = IsFloating(t) ? ctx.floating : t.zone;
  icaltimetype wall = t;
  wall.is_date = 0;
  if (t.is_date) wall.hour = wall.minute = wall.second = 0;
  // A null zone means UTC to icaltime_as_timet_with_zone.
  return static_cast<std::int64_t>(icaltime_as_timet_with_zone(wall, zone));
}

icaltimetype UtcFromUnix(std::int64_t unix_seconds) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(unix_seconds), 0,
                                       icaltimezone_get_utc_timezone());
}

std::int64_t DurationSeconds(const icaldurationtype& d) {
  const std::int64_t magnitude = (std::int64_t{d.weeks} * 7 + d.days) * kDay +
                                 std::int64_t{d.hours} * 3600 + std::int64_t{d.minutes} * 60 +
                                 d.seconds;
  return d.is_neg ? -magnitude : magnitude;
}

int NominalDays(const icaldurationtype& d) {
  constexpr std::int64_t kLimit = 3652425;
  const std::int64_t days = std::min<std::int64_t>(std::int64_t{d.weeks} * 7 + d.days, kLimit);
  return static_cast<int>(d.is_neg ? -days : days);
}

std::int64_t AddDuration(const icaltimetype& start, const icaldurationtype& d,
                         const TimeContext& ctx) {
  const int sign = d.is_neg ? -1 : 1;
  icaltimetype wall = start;
  icaltime_adjust(&wall, NominalDays(d), 0, 0, 0);
  const std::int64_t exact =
      std::int64_t{d.hours} * 3600 + std::int64_t{d.minutes} * 60 + std::int64_t{d.seconds};
  return ToUnix(wall, ctx) + sign * exact;
}

}  // namespace regie::formats::ical
