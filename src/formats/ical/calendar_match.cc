// CalendarObject::Matches: calendar-query filters (RFC 4791 §9.7) with the time-range rules of
// §9.9. A comp-filter holds when some component of its name satisfies all of its conditions;
// a time range on a recurring component holds when any of its instances overlaps it.
#include <limits>

#include "formats/ical/object_impl.h"
#include "formats/ical/recurrence.h"

namespace regie::formats::ical {
namespace {

// At most this many repetitions of an alarm are considered (REPEAT is unbounded in RFC 5545).
constexpr int kMaxAlarmRepeats = 1000;

std::string PropertyText(icalproperty* prop) {
  icalvalue* value = icalproperty_get_value(prop);
  if (value && icalvalue_isa(value) == ICAL_TEXT_VALUE) {
    const char* text = icalvalue_get_text(value);
    return text ? text : "";
  }
  return TakeIcalString(icalproperty_get_value_as_string_r(prop));
}

struct Alarm {
  std::optional<std::int64_t> absolute;  // A DATE-TIME trigger.
  std::int64_t offset = 0;               // A DURATION trigger, from the start or the end.
  bool from_end = false;
  std::int64_t repeat_every = 0;
  int repeats = 0;
};

Alarm AlarmOf(icalcomponent* alarm, const TimeContext& ctx) {
  Alarm a;
  icalproperty* trigger = icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY);
  const icaltriggertype t = icalproperty_get_trigger(trigger);
  if (!icaltime_is_null_time(t.time)) {
    a.absolute = ToUnix(AttachZone(t.time, trigger, *ctx.zones), ctx);
  } else {
    a.offset = DurationSeconds(t.duration);
    icalparameter* related = icalproperty_get_first_parameter(trigger, ICAL_RELATED_PARAMETER);
    a.from_end = related && icalparameter_get_related(related) == ICAL_RELATED_END;
  }
  icalproperty* repeat = icalcomponent_get_first_property(alarm, ICAL_REPEAT_PROPERTY);
  icalproperty* every = icalcomponent_get_first_property(alarm, ICAL_DURATION_PROPERTY);
  if (repeat && every) {
    a.repeats = std::clamp(icalproperty_get_repeat(repeat), 0, kMaxAlarmRepeats);
    a.repeat_every = std::max<std::int64_t>(0, DurationSeconds(icalproperty_get_duration(every)));
  }
  return a;
}

// §9.9 for VALARM: some trigger time t with start <= t < end.
bool AnyTriggerIn(std::int64_t first, const Alarm& a, const TimeRange& range) {
  for (int k = 0; k <= a.repeats; ++k) {
    const std::int64_t t = first + k * a.repeat_every;
    if ((!range.start || *range.start <= t) && (!range.end || *range.end > t)) return true;
  }
  return false;
}

class Matcher {
 public:
  Matcher(const CalendarObject::Impl& impl, const TimeContext& ctx) : impl_(impl), ctx_(ctx) {}

  bool MatchBody(const CompFilter& f, icalcomponent* comp) const {
    if (f.time_range && !TimeRangeMatches(comp, *f.time_range)) return false;
    for (const PropFilter& p : f.props) {
      if (!MatchProp(p, comp)) return false;
    }
    for (const CompFilter& c : f.comps) {
      if (!MatchChild(c, comp)) return false;
    }
    return true;
  }

 private:
  bool MatchChild(const CompFilter& f, icalcomponent* parent) const {
    bool found = false;
    bool matched = false;
    ForEachChild(parent, [&](icalcomponent* child) {
      if (matched || !EqualsIgnoreCase(ComponentNameOf(child), f.name)) return;
      found = true;
      matched = !f.is_not_defined && MatchBody(f, child);
    });
    return f.is_not_defined ? !found : matched;
  }

  bool MatchProp(const PropFilter& f, icalcomponent* comp) const {
    bool found = false;
    bool matched = false;
    const std::string name = AsciiUpper(f.name);
    ForEachProperty(comp, [&](icalproperty* p) {
      if (matched || PropertyNameOf(p) != name) return;
      found = true;
      matched = !f.is_not_defined && MatchPropBody(f, p);
    });
    return f.is_not_defined ? !found : matched;
  }

  bool MatchPropBody(const PropFilter& f, icalproperty* p) const {
    if (f.time_range && !PropertyTimeMatches(p, *f.time_range)) return false;
    if (f.text_match && !text::Matches(*f.text_match, PropertyText(p))) return false;
    for (const ParamFilter& param : f.params) {
      char* value = icalproperty_get_parameter_as_string_r(p, AsciiUpper(param.name).c_str());
      const bool present = value != nullptr;
      const std::string text = TakeIcalString(value);
      if (param.is_not_defined ? present : !present) return false;
      if (!param.is_not_defined && param.text_match && !text::Matches(*param.text_match, text)) {
        return false;
      }
    }
    return true;
  }

  // §9.9, last paragraph: a DATE-TIME property overlaps when start <= value < end; a DATE
  // covers its whole day.
  bool PropertyTimeMatches(icalproperty* p, const TimeRange& range) const {
    const icaltimetype t = PropertyTime(p, impl_.zones);
    if (icaltime_is_null_time(t)) return false;
    Occurrence o;
    o.a = ToUnix(t, ctx_);
    o.b = t.is_date ? o.a + kDay : o.a;
    return Overlaps(o, range);
  }

  bool TimeRangeMatches(icalcomponent* comp, const TimeRange& range) const {
    switch (icalcomponent_isa(comp)) {
      case ICAL_VEVENT_COMPONENT:
      case ICAL_VTODO_COMPONENT:
      case ICAL_VJOURNAL_COMPONENT:
      case ICAL_VFREEBUSY_COMPONENT:
        return AnyOccurrence(comp, range, [](const Occurrence&) { return true; });
      case ICAL_VALARM_COMPONENT:
        return AlarmMatches(comp, range);
      default:
        return false;
    }
  }

  bool AnyOccurrence(icalcomponent* comp, const TimeRange& window,
                     const std::function<bool(const Occurrence&)>& test) const {
    bool hit = false;
    const Caps caps{std::numeric_limits<std::size_t>::max(), impl_.limits.max_iterations};
    (void)VisitOccurrences(impl_, window, ctx_, caps, [&](const Occurrence& o) {
      hit = o.component == comp && test(o);
      return hit ? Visit::kStop : Visit::kContinue;
    });
    return hit;
  }

  // The parent's instances whose triggers can fall in `range`: triggers lie in
  // [instance start + lowest offset, instance end + highest offset].
  bool AlarmMatches(icalcomponent* alarm, const TimeRange& range) const {
    const Alarm a = AlarmOf(alarm, ctx_);
    if (a.absolute) return AnyTriggerIn(*a.absolute, a, range);
    const std::int64_t lowest = a.offset;
    const std::int64_t highest = a.offset + a.repeats * a.repeat_every;
    TimeRange window;
    if (range.start) window.start = *range.start - highest - 1;
    if (range.end) window.end = *range.end - lowest;
    return AnyOccurrence(icalcomponent_get_parent(alarm), window, [&](const Occurrence& o) {
      const Instance instance = InstanceOf(o);
      return AnyTriggerIn((a.from_end ? instance.end : instance.start) + a.offset, a, range);
    });
  }

  const CalendarObject::Impl& impl_;
  const TimeContext& ctx_;
};

}  // namespace

bool CalendarObject::Matches(const CompFilter& filter, const FloatingZone& zone) const {
  if (!EqualsIgnoreCase(filter.name, "VCALENDAR")) return false;
  if (filter.is_not_defined) return false;  // The object is a VCALENDAR.
  const TimeContext ctx = ContextOf(*impl_, zone);
  return Matcher(*impl_, ctx).MatchBody(filter, impl_->root.get());
}

}  // namespace regie::formats::ical
