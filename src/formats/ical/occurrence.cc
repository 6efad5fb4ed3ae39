// RFC 4791 §9.9: when a component overlaps a time range. Each rule is kept as the RFC's table
// states it (the VTODO rules are not simple interval tests), so a reviewer can check them line
// by line.
#include <limits>

#include "formats/ical/object_impl.h"

namespace regie::formats::ical {
namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

struct ComponentTimes {
  icaltimetype dtstart = icaltime_null_time();
  icalproperty* dtend = nullptr;
  icalproperty* due = nullptr;
  icalproperty* duration = nullptr;
  icalproperty* completed = nullptr;
  icalproperty* created = nullptr;
};

ComponentTimes TimesOf(icalcomponent* comp, const TimeContext& ctx) {
  ComponentTimes t;
  if (icalproperty* p = icalcomponent_get_first_property(comp, ICAL_DTSTART_PROPERTY)) {
    t.dtstart = PropertyTime(p, *ctx.zones);
  }
  t.dtend = icalcomponent_get_first_property(comp, ICAL_DTEND_PROPERTY);
  t.due = icalcomponent_get_first_property(comp, ICAL_DUE_PROPERTY);
  t.duration = icalcomponent_get_first_property(comp, ICAL_DURATION_PROPERTY);
  t.completed = icalcomponent_get_first_property(comp, ICAL_COMPLETED_PROPERTY);
  t.created = icalcomponent_get_first_property(comp, ICAL_CREATED_PROPERTY);
  return t;
}

std::int64_t TimeOf(icalproperty* prop, const TimeContext& ctx) {
  return ToUnix(PropertyTime(prop, *ctx.zones), ctx);
}

Occurrence Make(Shape shape, std::int64_t a, std::int64_t b, icalcomponent* comp) {
  Occurrence o;
  o.shape = shape;
  o.a = a;
  o.b = b;
  o.component = comp;
  return o;
}

// VTODO without DTSTART (the rows of the §9.9 table after the first three).
Occurrence TodoWithoutStart(const ComponentTimes& t, icalcomponent* comp, const TimeContext& ctx) {
  if (t.due) {
    const std::int64_t due = TimeOf(t.due, ctx);
    return Make(Shape::kTodoDue, due, due, comp);
  }
  if (t.completed && t.created) {
    return Make(Shape::kTodoCompletedCreated, TimeOf(t.created, ctx), TimeOf(t.completed, ctx),
                comp);
  }
  if (t.completed) {
    const std::int64_t done = TimeOf(t.completed, ctx);
    return Make(Shape::kTodoCompleted, done, done, comp);
  }
  if (t.created) return Make(Shape::kTodoCreated, TimeOf(t.created, ctx), kMax, comp);
  return Make(Shape::kAlways, kMin, kMax, comp);
}

std::vector<Occurrence> FreeBusyPeriods(icalcomponent* comp, const TimeContext& ctx) {
  std::vector<Occurrence> out;
  ForEachProperty(comp, [&](icalproperty* p) {
    if (icalproperty_isa(p) != ICAL_FREEBUSY_PROPERTY) return;
    const icalperiodtype period = icalproperty_get_freebusy(p);
    const icaltimetype start = AttachZone(period.start, p, *ctx.zones);
    const std::int64_t a = ToUnix(start, ctx);
    const std::int64_t b = icaltime_is_null_time(period.end)
                               ? AddDuration(start, period.duration, ctx)
                               : ToUnix(AttachZone(period.end, p, *ctx.zones), ctx);
    out.push_back(Make(Shape::kSpan, a, std::max(a, b), comp));
  });
  if (out.empty()) out.push_back(Make(Shape::kNever, 0, 0, comp));
  return out;
}

}  // namespace

bool Overlaps(const Occurrence& o, const TimeRange& range) {
  const std::int64_t s = range.start.value_or(kMin);
  const std::int64_t e = range.end.value_or(kMax);
  const std::int64_t a = o.a;
  const std::int64_t b = o.b;
  switch (o.shape) {
    case Shape::kSpan:
      return b > a ? (s < b && e > a) : (s <= a && e > a);
    case Shape::kClosedEnd:
      return s <= b && e > a;
    case Shape::kTodoStartDuration:
      return s <= b && (e > a || e >= b);
    case Shape::kTodoStartDue:
      return (s < b || s <= a) && (e > a || e >= b);
    case Shape::kTodoDue:
      return s < b && e >= b;
    case Shape::kTodoCompletedCreated:
      return (s <= a || s <= b) && (e >= a || e >= b);
    case Shape::kTodoCompleted:
      return s <= b && e >= b;
    case Shape::kTodoCreated:
      return e > a;
    case Shape::kAlways:
      return true;
    case Shape::kNever:
      return false;
  }
  return false;
}

Instance InstanceOf(const Occurrence& o) {
  switch (o.shape) {
    case Shape::kTodoDue:
    case Shape::kTodoCompleted:
      return {o.b, o.b};
    case Shape::kTodoCompletedCreated:
      return {std::min(o.a, o.b), std::max(o.a, o.b)};
    case Shape::kNever:
      return {0, 0};
    default:
      return {o.a, std::max(o.a, o.b)};
  }
}

InstanceLength LengthOf(icalcomponent* comp, const TimeContext& ctx) {
  const ComponentTimes t = TimesOf(comp, ctx);
  InstanceLength len;
  if (icaltime_is_null_time(t.dtstart)) return len;
  if (icalproperty* end = t.dtend ? t.dtend : t.due) {
    const icaltimetype until = PropertyTime(end, *ctx.zones);
    if (t.dtstart.is_date && until.is_date) {
      len.days = static_cast<int>((ToUnix(until, {}) - ToUnix(t.dtstart, {})) / kDay);
    } else {
      len.seconds = ToUnix(until, ctx) - ToUnix(t.dtstart, ctx);
    }
  } else if (t.duration) {
    const icaldurationtype d = icalproperty_get_duration(t.duration);
    const int sign = d.is_neg ? -1 : 1;
    len.days = NominalDays(d);
    len.seconds = sign * (std::int64_t{d.hours} * 3600 + std::int64_t{d.minutes} * 60 + d.seconds);
  } else if (t.dtstart.is_date && icalcomponent_isa(comp) != ICAL_VTODO_COMPONENT) {
    len.days = 1;  // §9.9: an all-day VEVENT or VJOURNAL without end lasts one day.
  }
  if (len.days < 0 || len.seconds < 0) len = {};
  return len;
}

Occurrence OccurrenceAt(icalcomponent* comp, const icaltimetype& start, const InstanceLength& len,
                        const TimeContext& ctx) {
  icaltimetype wall = start;
  icaltime_adjust(&wall, len.days, 0, 0, 0);
  const std::int64_t a = ToUnix(start, ctx);
  const std::int64_t b = std::max(a, ToUnix(wall, ctx) + len.seconds);
  Shape shape = Shape::kSpan;
  if (icalcomponent_isa(comp) == ICAL_VTODO_COMPONENT) {
    if (icalcomponent_get_first_property(comp, ICAL_DUE_PROPERTY)) {
      shape = Shape::kTodoStartDue;
    } else if (icalcomponent_get_first_property(comp, ICAL_DURATION_PROPERTY)) {
      shape = Shape::kTodoStartDuration;
    }
  }
  Occurrence o = Make(shape, a, b, comp);
  o.local_start = start;
  return o;
}

std::vector<Occurrence> OccurrencesOfComponent(icalcomponent* comp, const TimeContext& ctx) {
  const icalcomponent_kind kind = icalcomponent_isa(comp);
  if (kind == ICAL_VFREEBUSY_COMPONENT) {
    const ComponentTimes t = TimesOf(comp, ctx);
    if (!icaltime_is_null_time(t.dtstart) && t.dtend) {
      return {Make(Shape::kClosedEnd, ToUnix(t.dtstart, ctx), TimeOf(t.dtend, ctx), comp)};
    }
    return FreeBusyPeriods(comp, ctx);
  }
  const ComponentTimes t = TimesOf(comp, ctx);
  if (icaltime_is_null_time(t.dtstart)) {
    if (kind == ICAL_VTODO_COMPONENT) return {TodoWithoutStart(t, comp, ctx)};
    return {Make(Shape::kNever, 0, 0, comp)};
  }
  return {OccurrenceAt(comp, t.dtstart, LengthOf(comp, ctx), ctx)};
}

}  // namespace regie::formats::ical
