// SplitCalendar: a whole calendar export (Google, Outlook, Apple: many components, overrides
// beside their masters, VTIMEZONEs shared by all) cut into calendar object resources.
#include <limits>
#include <map>
#include <set>

#include "formats/ical/ical_prescan.h"
#include "formats/ical/object_impl.h"

namespace regie::formats::ical {
namespace {

constexpr std::string_view kProdId = "-//Regie//Regie//EN";

struct Group {
  std::string uid;
  std::vector<icalcomponent*> components;
};

struct Export {
  std::vector<icalcomponent*> calendars;
  std::map<std::string, icalcomponent*, std::less<>> zones;  // First definition of each TZID.
  std::vector<Group> groups;                                 // In order of first appearance.
};

void CollectTzids(icalcomponent* comp, std::set<std::string>& out) {
  ForEachProperty(comp, [&](icalproperty* p) {
    icalparameter* tzid = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    if (const char* name = tzid ? icalparameter_get_tzid(tzid) : nullptr) out.insert(name);
  });
  ForEachChild(comp, [&](icalcomponent* child) { CollectTzids(child, out); });
}

void Sort(icalcomponent* calendar, Export& ex, std::vector<std::string>& refused) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ex.groups.size(); ++i) index[ex.groups[i].uid] = i;
  ForEachChild(calendar, [&](icalcomponent* comp) {
    const icalcomponent_kind kind = icalcomponent_isa(comp);
    const std::string name = ComponentNameOf(comp);
    if (kind == ICAL_VTIMEZONE_COMPONENT) {
      icalproperty* tzid = icalcomponent_get_first_property(comp, ICAL_TZID_PROPERTY);
      const char* id = tzid ? icalproperty_get_tzid(tzid) : nullptr;
      if (id && !ex.zones.count(id)) ex.zones.emplace(id, comp);
      return;
    }
    if (kind != ICAL_VEVENT_COMPONENT && kind != ICAL_VTODO_COMPONENT &&
        kind != ICAL_VJOURNAL_COMPONENT && kind != ICAL_VFREEBUSY_COMPONENT) {
      refused.push_back(name + " is not a calendar object component");
      return;
    }
    const char* uid = icalcomponent_get_uid(comp);
    if (!uid || !*uid) {
      refused.push_back(name + " without UID");
      return;
    }
    auto [it, added] = index.emplace(uid, ex.groups.size());
    if (added) ex.groups.push_back({uid, {}});
    ex.groups[it->second].components.push_back(comp);
  });
}

// One VCALENDAR for `group`: VERSION, PRODID and CALSCALE of its source, the VTIMEZONEs its
// TZIDs name, its components. METHOD (Outlook's PUBLISH) is left out: §4.1 forbids it.
std::string Assemble(const Group& group, icalcomponent* source, const Export& ex) {
  ComponentPtr out(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(out.get(), icalproperty_new_version("2.0"));
  icalproperty* prodid = icalcomponent_get_first_property(source, ICAL_PRODID_PROPERTY);
  icalcomponent_add_property(
      out.get(), prodid ? icalproperty_new_clone(prodid) : icalproperty_new_prodid(kProdId.data()));
  if (icalproperty* scale = icalcomponent_get_first_property(source, ICAL_CALSCALE_PROPERTY)) {
    icalcomponent_add_property(out.get(), icalproperty_new_clone(scale));
  }
  std::set<std::string> tzids;
  for (icalcomponent* comp : group.components) CollectTzids(comp, tzids);
  for (const std::string& tzid : tzids) {
    auto zone = ex.zones.find(tzid);
    if (zone != ex.zones.end()) {
      icalcomponent_add_component(out.get(), icalcomponent_new_clone(zone->second));
    }
  }
  for (icalcomponent* comp : group.components) {
    icalcomponent_add_component(out.get(), icalcomponent_new_clone(comp));
  }
  return TakeIcalString(icalcomponent_as_ical_string_r(out.get()));
}

}  // namespace

Result<SplitResult> SplitCalendar(std::string_view text, const CalendarLimits& limits) {
  InitLibical();
  constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
  if (auto lines = Prescan(text, kNoLimit, kNoLimit, Calendars::kMany); !lines) {
    return Fail(Errc::kInvalidInput, lines.error().message, lines.error().detail);
  }
  ComponentPtr root(icalparser_parse_string(std::string(text).c_str()));
  if (!root) return Fail(Errc::kInvalidInput, "icalendar: not iCalendar", "not iCalendar");
  Export ex;
  SplitResult result;
  if (icalcomponent_isa(root.get()) == ICAL_VCALENDAR_COMPONENT) {
    ex.calendars.push_back(root.get());
  } else {
    ForEachChild(root.get(), [&](icalcomponent* c) {
      if (icalcomponent_isa(c) == ICAL_VCALENDAR_COMPONENT) ex.calendars.push_back(c);
    });
  }
  for (icalcomponent* calendar : ex.calendars) Sort(calendar, ex, result.refused);
  for (const Group& group : ex.groups) {
    icalcomponent* source = icalcomponent_get_parent(group.components.front());
    std::string object = Assemble(group, source, ex);
    if (auto parsed = CalendarObject::Parse(object, limits); !parsed) {
      result.refused.push_back("UID " + group.uid + ": " + parsed.error().detail);
    } else {
      result.objects.push_back({group.uid, std::move(object)});
    }
  }
  return result;
}

}  // namespace regie::formats::ical
