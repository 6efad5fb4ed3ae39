// CalendarObject::Parse: RFC 5545 syntax (libical, made strict by the prescan and by refusing
// every X-LIC-ERROR it reports) and the calendar object resource rules of RFC 4791 §4.1.
#include <set>

#include "formats/ical/ical_prescan.h"
#include "formats/ical/object_impl.h"
#include "formats/ical/validate.h"

namespace regie::formats::ical {
namespace {

// libical keeps what it could not read as X-LIC-ERROR properties; the first one says why.
std::optional<std::string> FirstLibicalError(icalcomponent* comp) {
  if (icalproperty* p = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY)) {
    const char* why = icalproperty_get_xlicerror(p);
    return std::string(why ? why : "unreadable property").substr(0, 120);
  }
  std::optional<std::string> found;
  ForEachChild(comp, [&](icalcomponent* child) {
    if (!found) found = FirstLibicalError(child);
  });
  return found;
}

Result<ComponentPtr> ParseTree(std::string_view text) {
  ComponentPtr root(icalparser_parse_string(std::string(text).c_str()));
  if (!root || icalcomponent_isa(root.get()) != ICAL_VCALENDAR_COMPONENT) {
    return Fail(InvalidData("not iCalendar"));
  }
  if (icalcomponent_count_errors(root.get()) > 0) {
    return Fail(InvalidData(FirstLibicalError(root.get()).value_or("not iCalendar")));
  }
  return root;
}

Result<void> CheckCalendarProperties(icalcomponent* root) {
  // §4.1: scheduling messages (iTIP) are not stored as resources.
  if (icalcomponent_get_first_property(root, ICAL_METHOD_PROPERTY)) {
    return Fail(InvalidResource("METHOD is not allowed in a calendar object resource"));
  }
  icalproperty* version = icalcomponent_get_first_property(root, ICAL_VERSION_PROPERTY);
  const char* value = version ? icalproperty_get_version(version) : nullptr;
  if (!value || std::string_view(value) != "2.0") return Fail(InvalidData("VERSION:2.0 missing"));
  return Ok();
}

std::optional<ComponentKind> KindOf(icalcomponent* comp) {
  switch (icalcomponent_isa(comp)) {
    case ICAL_VEVENT_COMPONENT:
      return ComponentKind::kEvent;
    case ICAL_VTODO_COMPONENT:
      return ComponentKind::kTodo;
    case ICAL_VJOURNAL_COMPONENT:
      return ComponentKind::kJournal;
    case ICAL_VFREEBUSY_COMPONENT:
      return ComponentKind::kFreeBusy;
    default:
      return std::nullopt;
  }
}

// Places one component: kind and UID must agree with the others; one master at most; each
// RECURRENCE-ID once.
Result<void> Place(icalcomponent* comp, CalendarObject::Impl& impl, std::set<std::int64_t>& rids) {
  const std::string name = ComponentNameOf(comp);
  const char* uid = icalcomponent_get_uid(comp);
  if (!uid || !*uid) return Fail(InvalidResource(name + " without UID"));
  if (impl.uid.empty()) impl.uid = uid;
  if (impl.uid != uid) return Fail(InvalidResource("components with different UIDs"));
  icalproperty* rid = icalcomponent_get_first_property(comp, ICAL_RECURRENCEID_PROPERTY);
  if (!rid) {
    if (impl.master) return Fail(InvalidResource("two " + name + "s without RECURRENCE-ID"));
    impl.master = comp;
    return Ok();
  }
  const std::int64_t at = ToUnix(PropertyTime(rid, impl.zones), {&impl.zones, nullptr});
  if (!rids.insert(at).second) return Fail(InvalidResource("RECURRENCE-ID given twice"));
  impl.overrides.push_back(comp);
  return Ok();
}

Result<void> SortComponents(CalendarObject::Impl& impl) {
  std::optional<ComponentKind> kind;
  std::optional<Error> failure;
  std::set<std::int64_t> rids;
  ForEachChild(impl.root.get(), [&](icalcomponent* comp) {
    const icalcomponent_kind isa = icalcomponent_isa(comp);
    if (failure || isa == ICAL_VTIMEZONE_COMPONENT || isa == ICAL_X_COMPONENT) return;
    const std::optional<ComponentKind> k = KindOf(comp);
    if (!k) {
      failure = InvalidResource(ComponentNameOf(comp) + " is not a calendar object component");
    } else if (kind && *kind != *k) {
      failure = InvalidResource("components of different kinds");
    } else if (auto placed = Place(comp, impl, rids); !placed) {
      failure = placed.error();
    }
    kind = k;
  });
  if (failure) return Fail(std::move(*failure));
  if (!kind) return Fail(InvalidResource("no VEVENT, VTODO, VJOURNAL or VFREEBUSY"));
  impl.kind = *kind;
  return Ok();
}

// Every TZID must name a VTIMEZONE of the object (RFC 5545 §3.2.19) or a well-known zone.
Result<void> ResolveZones(icalcomponent* comp, ZoneTable& zones) {
  std::optional<Error> failure;
  ForEachProperty(comp, [&](icalproperty* p) {
    icalparameter* tzid = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    const char* name = tzid ? icalparameter_get_tzid(tzid) : nullptr;
    if (failure || !name) return;
    if (auto ok = zones.Require(name); !ok) failure = ok.error();
  });
  ForEachChild(comp, [&](icalcomponent* child) {
    if (failure || icalcomponent_isa(child) == ICAL_VTIMEZONE_COMPONENT) return;
    if (auto ok = ResolveZones(child, zones); !ok) failure = ok.error();
  });
  if (failure) return Fail(std::move(*failure));
  return Ok();
}

}  // namespace

Result<CalendarObject> CalendarObject::Parse(std::string_view text, const CalendarLimits& limits) {
  InitLibical();
  if (text.size() > limits.max_bytes) {
    Error e = MakeError(Errc::kTooLarge, "icalendar: object exceeds max-resource-size",
                        "calendar object too large");
    e.condition = QName{std::string(kCalDavNs), "max-resource-size"};
    return Fail(std::move(e));
  }
  if (auto lines = Prescan(text, limits.max_components, limits.max_properties, Calendars::kOne);
      !lines) {
    return Fail(lines.error());
  }
  auto root = ParseTree(text);
  if (!root) return Fail(root.error());
  auto impl = std::make_unique<Impl>();
  impl->text = std::string(text);
  impl->root = std::move(*root);
  impl->limits = limits;
  if (auto ok = CheckCalendarProperties(impl->root.get()); !ok) return Fail(ok.error());
  if (auto ok = impl->zones.AddFrom(impl->root.get()); !ok) return Fail(ok.error());
  if (auto ok = ResolveZones(impl->root.get(), impl->zones); !ok) return Fail(ok.error());
  if (auto ok = SortComponents(*impl); !ok) return Fail(ok.error());
  std::optional<Error> failure;
  ForEachChild(impl->root.get(), [&](icalcomponent* comp) {
    if (failure || !KindOf(comp)) return;
    if (auto ok = CheckComponentTimes(comp, impl->zones); !ok) failure = ok.error();
  });
  if (failure) return Fail(std::move(*failure));
  if (auto ok = DescribeRecurrence(*impl); !ok) return Fail(ok.error());
  return CalendarObject(std::move(impl));
}

}  // namespace regie::formats::ical
