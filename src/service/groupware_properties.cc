#include "service/groupware_properties.h"

#include <algorithm>

#include "formats/xml/xml_element.h"

namespace regie::service::groupware_detail {
namespace {

// Stored property values are small fragments written by the server or by SerializeFragment.
constexpr formats::xml::XmlLimits kPropertyLimits{
    .max_bytes = std::size_t{1} << 20, .max_depth = 16, .max_elements = 1000};

}  // namespace

model::DeadProperty DisplayName(std::string_view text) {
  formats::xml::XmlElement element;
  element.name = {std::string(kDavNs), "displayname"};
  element.text = std::string(text);
  return {.name = element.name, .value = formats::xml::SerializeFragment(element)};
}

model::DeadProperty SupportedComponentSet(const std::vector<formats::ical::ComponentKind>& kinds) {
  formats::xml::XmlElement set;
  set.name = CalDav("supported-calendar-component-set");
  for (const auto kind : kinds) {
    formats::xml::XmlElement comp;
    comp.name = CalDav("comp");
    comp.attributes.push_back(
        {.name = {"", "name"}, .value = std::string(formats::ical::ComponentName(kind))});
    set.children.push_back(std::move(comp));
  }
  return {.name = set.name, .value = formats::xml::SerializeFragment(set)};
}

std::optional<std::vector<formats::ical::ComponentKind>> ParseSupportedComponentSet(
    std::string_view value) {
  auto set = formats::xml::ParseXml(value, kPropertyLimits);
  if (!set) return std::nullopt;
  std::vector<formats::ical::ComponentKind> kinds;
  for (const auto& comp : set->children) {
    if (!comp.Is(kCalDavNs, "comp")) continue;
    for (const auto& attribute : comp.attributes) {
      if (attribute.name.name != "name" || !attribute.name.ns.empty()) continue;
      auto kind = formats::ical::ParseComponentName(attribute.value);
      if (!kind) return std::nullopt;
      if (std::find(kinds.begin(), kinds.end(), *kind) == kinds.end()) kinds.push_back(*kind);
    }
  }
  if (kinds.empty()) return std::nullopt;
  return kinds;
}

std::optional<std::string> PropertyText(std::string_view value) {
  auto element = formats::xml::ParseXml(value, kPropertyLimits);
  if (!element || !element->children.empty()) return std::nullopt;
  return element->text;
}

Result<void> CheckCollectionProperty(const model::DeadProperty& property) {
  if (property.name == CalDav("calendar-timezone")) {
    // RFC 4791 §5.2.2: a VCALENDAR holding exactly one VTIMEZONE.
    auto text = PropertyText(property.value);
    if (!text) {
      return Fail(Errc::kForbidden, "calendar-timezone is not text",
                  "calendar-timezone must hold an iCalendar object as text",
                  CalDav("valid-calendar-data"));
    }
    auto zone = formats::ical::FloatingZone::Parse(*text);
    if (!zone) return Fail(zone.error());
  }
  if (property.name == CalDav("supported-calendar-component-set") &&
      !ParseSupportedComponentSet(property.value)) {
    return Fail(Errc::kForbidden, "malformed supported-calendar-component-set",
                "supported-calendar-component-set must name VEVENT, VTODO, VJOURNAL or VFREEBUSY",
                {std::string(kDavNs), "valid-property-value"});
  }
  return Ok();
}

}  // namespace regie::service::groupware_detail
