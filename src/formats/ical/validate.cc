#include "formats/ical/validate.h"

#include "formats/ical/ical_prescan.h"
#include "formats/ical/recurrence.h"

namespace regie::formats::ical {
namespace {

int CountOf(icalcomponent* comp, icalproperty_kind kind) {
  return icalcomponent_count_properties(comp, kind);
}

Result<void> CheckEnd(const std::string& name, icalproperty* start, icalproperty* end,
                      const ZoneTable& zones) {
  const icaltimetype s = PropertyTime(start, zones);
  const icaltimetype e = PropertyTime(end, zones);
  const std::string end_name = PropertyNameOf(end);
  if (icaltime_is_null_time(s) || icaltime_is_null_time(e)) {
    return Fail(InvalidData(name + ": DTSTART or " + end_name + " unreadable"));
  }
  if (s.is_date != e.is_date) {
    return Fail(InvalidData(name + ": " + end_name + " and DTSTART differ in value type"));
  }
  const TimeContext ctx{&zones, nullptr};
  if (ToUnix(e, ctx) < ToUnix(s, ctx)) {
    return Fail(InvalidData(name + ": " + end_name + " before DTSTART"));
  }
  return Ok();
}

Result<void> CheckAlarms(icalcomponent* comp) {
  std::optional<Error> failure;
  ForEachChild(comp, [&](icalcomponent* child) {
    if (!failure && icalcomponent_isa(child) == ICAL_VALARM_COMPONENT &&
        !icalcomponent_get_first_property(child, ICAL_TRIGGER_PROPERTY)) {
      failure = InvalidData("VALARM without TRIGGER");
    }
  });
  if (failure) return Fail(std::move(*failure));
  return Ok();
}

bool HasFloatingTime(icalcomponent* comp, const ZoneTable& zones) {
  bool floating = false;
  ForEachProperty(comp, [&](icalproperty* p) {
    switch (icalproperty_isa(p)) {
      case ICAL_DTSTART_PROPERTY:
      case ICAL_DTEND_PROPERTY:
      case ICAL_DUE_PROPERTY:
      case ICAL_RECURRENCEID_PROPERTY:
      case ICAL_RDATE_PROPERTY:
        floating = floating || IsFloating(PropertyTime(p, zones));
        break;
      default:
        break;
    }
  });
  return floating;
}

}  // namespace

Result<void> CheckComponentTimes(icalcomponent* comp, const ZoneTable& zones) {
  const std::string name = ComponentNameOf(comp);
  icalproperty* start = icalcomponent_get_first_property(comp, ICAL_DTSTART_PROPERTY);
  icalproperty* end = icalcomponent_get_first_property(comp, ICAL_DTEND_PROPERTY);
  icalproperty* due = icalcomponent_get_first_property(comp, ICAL_DUE_PROPERTY);
  icalproperty* duration = icalcomponent_get_first_property(comp, ICAL_DURATION_PROPERTY);
  // RFC 5545 §3.6.1: DTSTART is required in a VEVENT when the object has no METHOD (§4.1).
  if (!start && icalcomponent_isa(comp) == ICAL_VEVENT_COMPONENT) {
    return Fail(InvalidData("VEVENT without DTSTART"));
  }
  if (duration && (end || due)) {
    return Fail(InvalidData(name + " with both " + (end ? "DTEND" : "DUE") + " and DURATION"));
  }
  if (duration && !start) return Fail(InvalidData(name + ": DURATION without DTSTART"));
  if (duration && icalproperty_get_duration(duration).is_neg) {
    return Fail(InvalidData(name + ": negative DURATION"));
  }
  if (start && (end || due)) {
    if (auto ok = CheckEnd(name, start, end ? end : due, zones); !ok) return ok;
  }
  if (start && icaltime_is_null_time(PropertyTime(start, zones))) {
    return Fail(InvalidData(name + ": DTSTART unreadable"));
  }
  const int rules = CountOf(comp, ICAL_RRULE_PROPERTY);
  if (rules > 1) return Fail(InvalidData(name + " with more than one RRULE"));
  if ((rules > 0 || CountOf(comp, ICAL_RDATE_PROPERTY) > 0) && !start) {
    return Fail(InvalidData(name + ": RRULE or RDATE without DTSTART"));
  }
  return CheckAlarms(comp);
}

Result<void> DescribeRecurrence(CalendarObject::Impl& impl) {
  impl.recurring = !impl.overrides.empty();
  if (icalproperty* rrule = MasterRule(impl)) {
    const icalrecurrencetype rule = icalproperty_get_rrule(rrule);
    icaltimetype start = PropertyTime(
        icalcomponent_get_first_property(impl.master, ICAL_DTSTART_PROPERTY), impl.zones);
    if (rule.freq == ICAL_NO_RECURRENCE) return Fail(InvalidData("RRULE without FREQ"));
    impl.rule_check = CheckRule(rule, impl.limits.max_iterations);
    // A rule that matches no day yields only DTSTART; libical may refuse it or search long.
    if (impl.rule_check != RuleCheck::kEmpty) {
      icalrecur_iterator* it = icalrecur_iterator_new(rule, start);
      if (!it) return Fail(InvalidData("RRULE not supported"));
      icalrecur_iterator_free(it);
    }
    impl.recurring = true;
  }
  if (impl.master && icalcomponent_get_first_property(impl.master, ICAL_RDATE_PROPERTY)) {
    impl.recurring = true;
  }
  impl.floating = impl.master && HasFloatingTime(impl.master, impl.zones);
  for (icalcomponent* comp : impl.overrides) {
    impl.floating = impl.floating || HasFloatingTime(comp, impl.zones);
  }
  return Ok();
}

}  // namespace regie::formats::ical
