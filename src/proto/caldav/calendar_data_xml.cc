// CALDAV:calendar-data in a REPORT's DAV:prop (RFC 4791 §9.6): which components and properties
// to return, and whether to expand recurrences or limit the recurrence and free-busy sets.
#include "proto/caldav/caldav_requests.h"
#include "proto/caldav/caldav_xml.h"
#include "proto/dav/request_xml.h"

namespace regie::proto::caldav::detail {
namespace {

using dav::detail::Attribute;
using dav::detail::BadBody;
using formats::ical::CalendarDataRequest;
using formats::ical::CompSelection;
using formats::xml::XmlElement;

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && UpperAscii(a) == UpperAscii(b);
}

// §9.6: content-type defaults to text/calendar and version to 2.0. Parameters of the media type
// ("; charset=utf-8") do not change what is returned.
Result<void> CheckMediaType(const XmlElement& e) {
  const std::string* type = Attribute(e, "content-type");
  const std::string* version = Attribute(e, "version");
  std::string_view media = type == nullptr ? "text/calendar" : std::string_view(*type);
  media = dav::detail::TrimXmlSpace(media.substr(0, media.find(';')));
  if (!EqualsIgnoringAsciiCase(media, "text/calendar") ||
      (version != nullptr && dav::detail::TrimXmlSpace(*version) != "2.0")) {
    return Precondition("supported-calendar-data", "only text/calendar 2.0 is supported");
  }
  return Ok();
}

Result<std::string> SelectionName(const XmlElement& e, std::string_view what) {
  const std::string* name = Attribute(e, "name");
  if (name == nullptr || name->empty()) return BadBody(std::string(what) + " needs a name");
  return UpperAscii(*name);
}

// §9.6.1: comp ((allprop | prop*), (allcomp | comp*)). Listing nothing returns everything, as
// the VTIMEZONE of the §7.8.1 example shows.
Result<CompSelection> ParseCompSelection(const XmlElement& e) {
  auto name = SelectionName(e, "CALDAV:comp");
  if (!name) return Fail(name.error());
  CompSelection selection;
  selection.name = std::move(*name);
  const bool allprop = e.Find(kCalDavNs, "allprop") != nullptr;
  const bool allcomp = e.Find(kCalDavNs, "allcomp") != nullptr;
  for (const XmlElement& child : e.children) {
    if (child.Is(kCalDavNs, "prop")) {
      auto prop = SelectionName(child, "CALDAV:prop");
      if (!prop) return Fail(prop.error());
      selection.props.push_back(std::move(*prop));
    } else if (child.Is(kCalDavNs, "comp")) {
      auto comp = ParseCompSelection(child);
      if (!comp) return Fail(comp.error());
      selection.comps.push_back(std::move(*comp));
    }
  }
  if (allprop && !selection.props.empty()) return BadBody("CALDAV:allprop excludes CALDAV:prop");
  if (allcomp && !selection.comps.empty()) return BadBody("CALDAV:allcomp excludes CALDAV:comp");
  selection.all_props = selection.props.empty();
  selection.all_comps = selection.comps.empty();
  return selection;
}

// The optional time-range-shaped child `local`; §9.6.5-§9.6.7 require both bounds.
Result<std::optional<formats::ical::TimeRange>> BothBounds(const XmlElement& e,
                                                           std::string_view local) {
  const XmlElement* child = e.Find(kCalDavNs, local);
  if (child == nullptr) return std::optional<formats::ical::TimeRange>();
  auto range = ParseTimeRange(*child, Bounds::kBoth, "CALDAV:" + std::string(local));
  if (!range) return Fail(range.error());
  return std::optional<formats::ical::TimeRange>(*range);
}

// §9.6: calendar-data (comp?, (expand | limit-recurrence-set)?, limit-freebusy-set?)
Result<CalendarDataRequest> ParseCalendarData(const XmlElement& e) {
  if (auto supported = CheckMediaType(e); !supported) return Fail(supported.error());
  CalendarDataRequest request;
  if (const XmlElement* comp = e.Find(kCalDavNs, "comp")) {
    auto selection = ParseCompSelection(*comp);
    if (!selection) return Fail(selection.error());
    request.comp = std::move(*selection);
  }
  auto expand = BothBounds(e, "expand");
  if (!expand) return Fail(expand.error());
  auto recurrence = BothBounds(e, "limit-recurrence-set");
  if (!recurrence) return Fail(recurrence.error());
  auto freebusy = BothBounds(e, "limit-freebusy-set");
  if (!freebusy) return Fail(freebusy.error());
  if (*expand && *recurrence) {
    return BadBody("CALDAV:expand and CALDAV:limit-recurrence-set exclude each other");
  }
  request.expand = *expand;
  request.limit_recurrence_set = *recurrence;
  request.limit_freebusy_set = *freebusy;
  return request;
}

}  // namespace

Result<std::optional<CalendarDataRequest>> FindCalendarData(const XmlElement* prop) {
  const XmlElement* data = prop == nullptr ? nullptr : prop->Find(kCalDavNs, "calendar-data");
  if (data == nullptr) return std::optional<CalendarDataRequest>();
  auto request = ParseCalendarData(*data);
  if (!request) return Fail(request.error());
  return std::optional<CalendarDataRequest>(std::move(*request));
}

}  // namespace regie::proto::caldav::detail
