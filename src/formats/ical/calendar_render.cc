// CalendarObject::Render: the calendar-data of a REPORT (RFC 4791 §9.6). Expansion and limits
// build a new VCALENDAR from the original components; the selection of components and
// properties (§9.6.1-§9.6.4) is applied last, to whatever was built.
#include <limits>
#include <set>

#include "formats/ical/object_impl.h"
#include "formats/ical/recurrence.h"

namespace regie::formats::ical {
namespace {

// A VCALENDAR with the calendar properties of `root` and no components.
ComponentPtr CloneShell(icalcomponent* root) {
  ComponentPtr shell(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  ForEachProperty(root, [&](icalproperty* p) {
    icalcomponent_add_property(shell.get(), icalproperty_new_clone(p));
  });
  return shell;
}

void RemoveProperties(icalcomponent* comp, const std::function<bool(icalproperty*)>& drop) {
  ForEachProperty(comp, [&](icalproperty* p) {
    if (!drop(p)) return;
    icalcomponent_remove_property(comp, p);
    icalproperty_free(p);
  });
}

// Sets a DATE-TIME property to `unix` in UTC, or a DATE property to `date`.
void SetTime(icalproperty* p, const icaltimetype& date, std::int64_t unix) {
  icalproperty_remove_parameter_by_kind(p, ICAL_TZID_PARAMETER);
  icalproperty_remove_parameter_by_kind(p, ICAL_RANGE_PARAMETER);
  icalproperty_set_value(
      p, date.is_date ? icalvalue_new_date(date) : icalvalue_new_datetime(UtcFromUnix(unix)));
}

icaltimetype DateAfter(icaltimetype date, std::int64_t seconds) {
  // DATE instances are whole days in the floating zone; DST makes a day 23 or 25 hours long.
  icaltime_adjust(&date, static_cast<int>((seconds + kDay / 2) / kDay), 0, 0, 0);
  return date;
}

// §9.6.5: one instance as a component of its own, times in UTC, with RECURRENCE-ID and without
// the recurrence rules.
ComponentPtr InstanceComponent(const Occurrence& o) {
  ComponentPtr comp(icalcomponent_new_clone(o.component));
  RemoveProperties(comp.get(), [](icalproperty* p) {
    const icalproperty_kind k = icalproperty_isa(p);
    return k == ICAL_RRULE_PROPERTY || k == ICAL_RDATE_PROPERTY || k == ICAL_EXDATE_PROPERTY ||
           k == ICAL_EXRULE_PROPERTY || k == ICAL_RECURRENCEID_PROPERTY;
  });
  const icaltimetype start = o.local_start;
  ForEachProperty(comp.get(), [&](icalproperty* p) {
    switch (icalproperty_isa(p)) {
      case ICAL_DTSTART_PROPERTY:
        SetTime(p, start, o.a);
        break;
      case ICAL_DTEND_PROPERTY:
      case ICAL_DUE_PROPERTY:
        SetTime(p, DateAfter(start, o.b - o.a), o.b);
        break;
      default:
        break;
    }
  });
  if (o.in_set) {
    icalproperty* rid = icalproperty_new_recurrenceid(icaltime_null_time());
    SetTime(rid, o.recurrence_id, o.recurrence_unix);
    icalcomponent_add_property(comp.get(), rid);
  }
  return comp;
}

ComponentPtr ExpandObject(const CalendarObject::Impl& impl, const TimeRange& range,
                          const TimeContext& ctx) {
  ComponentPtr out = CloneShell(impl.root.get());
  std::vector<std::pair<std::int64_t, ComponentPtr>> instances;
  const Caps caps{impl.limits.max_instances, impl.limits.max_iterations};
  (void)VisitOccurrences(impl, range, ctx, caps, [&](const Occurrence& o) {
    if (o.shape != Shape::kNever) instances.emplace_back(o.a, InstanceComponent(o));
    return Visit::kContinue;
  });
  std::stable_sort(instances.begin(), instances.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [start, comp] : instances) icalcomponent_add_component(out.get(), comp.release());
  return out;
}

// §9.6.6: the master, and the overrides that overlap the range or, with THISANDFUTURE, reach it.
ComponentPtr LimitRecurrenceSet(const CalendarObject::Impl& impl, const TimeRange& range,
                                const TimeContext& ctx) {
  std::set<icalcomponent*> keep;
  const Caps caps{std::numeric_limits<std::size_t>::max(), impl.limits.max_iterations};
  (void)VisitOccurrences(impl, range, ctx, caps, [&](const Occurrence& o) {
    keep.insert(o.component);
    return Visit::kContinue;
  });
  ComponentPtr out = CloneShell(impl.root.get());
  ForEachChild(impl.root.get(), [&](icalcomponent* comp) {
    const bool is_override =
        icalcomponent_get_first_property(comp, ICAL_RECURRENCEID_PROPERTY) != nullptr;
    if (is_override && !keep.count(comp)) return;
    icalcomponent_add_component(out.get(), icalcomponent_new_clone(comp));
  });
  return out;
}

// §9.6.7: only the FREEBUSY periods that overlap the range.
void LimitFreeBusySet(icalcomponent* root, const TimeRange& range, const TimeContext& ctx) {
  ForEachChild(root, [&](icalcomponent* comp) {
    if (icalcomponent_isa(comp) != ICAL_VFREEBUSY_COMPONENT) return;
    RemoveProperties(comp, [&](icalproperty* p) {
      if (icalproperty_isa(p) != ICAL_FREEBUSY_PROPERTY) return false;
      const icalperiodtype period = icalproperty_get_freebusy(p);
      Occurrence o;
      o.a = ToUnix(AttachZone(period.start, p, *ctx.zones), ctx);
      o.b = icaltime_is_null_time(period.end) ? o.a + DurationSeconds(period.duration)
                                              : ToUnix(AttachZone(period.end, p, *ctx.zones), ctx);
      return !Overlaps(o, range);
    });
  });
}

// §9.6.1-§9.6.4: keeps the listed properties and components, recursively.
void Select(icalcomponent* comp, const CompSelection& selection) {
  if (!selection.all_props) {
    std::set<std::string> names;
    for (const std::string& n : selection.props) names.insert(AsciiUpper(n));
    RemoveProperties(comp, [&](icalproperty* p) { return !names.count(PropertyNameOf(p)); });
  }
  if (selection.all_comps) return;
  ForEachChild(comp, [&](icalcomponent* child) {
    const std::string name = ComponentNameOf(child);
    for (const CompSelection& sub : selection.comps) {
      if (EqualsIgnoreCase(sub.name, name)) return Select(child, sub);
    }
    icalcomponent_remove_component(comp, child);
    icalcomponent_free(child);
  });
}

}  // namespace

std::string CalendarObject::Render(const CalendarDataRequest& request,
                                   const FloatingZone& zone) const {
  if (!request.comp && !request.expand && !request.limit_recurrence_set &&
      !request.limit_freebusy_set) {
    return impl_->text;
  }
  const TimeContext ctx = ContextOf(*impl_, zone);
  ComponentPtr out;
  if (request.expand) {
    out = ExpandObject(*impl_, *request.expand, ctx);
  } else if (request.limit_recurrence_set) {
    out = LimitRecurrenceSet(*impl_, *request.limit_recurrence_set, ctx);
  } else {
    out.reset(icalcomponent_new_clone(impl_->root.get()));
  }
  if (request.limit_freebusy_set) LimitFreeBusySet(out.get(), *request.limit_freebusy_set, ctx);
  if (request.comp) Select(out.get(), *request.comp);
  return TakeIcalString(icalcomponent_as_ical_string_r(out.get()));
}

}  // namespace regie::formats::ical
