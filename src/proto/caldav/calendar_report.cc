// CalDAV REPORT bodies (RFC 4791 §7.8-§7.10) and DAV:sync-collection on calendars (RFC 6578).
// Elements these parsers do not know are skipped, as RFC 4918 §17 asks of extensions.
#include "base/check.h"
#include "proto/caldav/caldav_requests.h"
#include "proto/caldav/caldav_xml.h"
#include "proto/dav/request_xml.h"

namespace regie::proto::caldav {
namespace {

using dav::detail::BadBody;
using formats::ical::CalendarDataRequest;
using formats::xml::XmlElement;
using formats::xml::XmlLimits;

// The properties a query or multiget asks for, and the calendar-data among them.
Result<void> ParseWanted(const XmlElement& root, dav::PropfindRequest& props,
                         std::optional<CalendarDataRequest>& data) {
  auto choice = dav::detail::ParsePropChoice(root);
  if (!choice) return Fail(choice.error());
  props = std::move(*choice);
  auto found = detail::FindCalendarData(root.Find(dav::kDavNs, "prop"));
  if (!found) return Fail(found.error());
  data = std::move(*found);
  return Ok();
}

// §9.5: calendar-query ((DAV:allprop | DAV:propname | DAV:prop)?, filter, timezone?)
Result<CalendarQuery> ParseQuery(const XmlElement& root) {
  CalendarQuery query;
  if (auto wanted = ParseWanted(root, query.props, query.data); !wanted) {
    return Fail(wanted.error());
  }
  const XmlElement* filter = root.Find(kCalDavNs, "filter");
  if (filter == nullptr) return BadBody("CALDAV:calendar-query needs CALDAV:filter");
  auto parsed = detail::ParseFilter(*filter);
  if (!parsed) return Fail(parsed.error());
  query.filter = std::move(*parsed);
  if (const XmlElement* timezone = root.Find(kCalDavNs, "timezone")) {
    query.timezone = std::string(dav::detail::TrimXmlSpace(timezone->text));
  }
  auto limit = dav::detail::ParseLimit(root, kCalDavNs, "CALDAV");
  if (!limit) return Fail(limit.error());
  query.limit = *limit;
  return query;
}

// §9.10: calendar-multiget ((DAV:allprop | DAV:propname | DAV:prop)?, DAV:href+)
Result<CalendarMultiget> ParseMultiget(const XmlElement& root) {
  CalendarMultiget multiget;
  if (auto wanted = ParseWanted(root, multiget.props, multiget.data); !wanted) {
    return Fail(wanted.error());
  }
  for (const XmlElement& child : root.children) {
    if (!child.Is(dav::kDavNs, "href")) continue;
    const std::string_view href = dav::detail::TrimXmlSpace(child.text);
    if (href.empty()) return BadBody("DAV:href must not be empty");
    multiget.hrefs.emplace_back(href);
  }
  if (multiget.hrefs.empty()) return BadBody("CALDAV:calendar-multiget needs a DAV:href");
  return multiget;
}

// §9.11: free-busy-query (time-range)
Result<FreeBusyQuery> ParseFreeBusy(const XmlElement& root) {
  const XmlElement* range = root.Find(kCalDavNs, "time-range");
  if (range == nullptr) return BadBody("CALDAV:free-busy-query needs CALDAV:time-range");
  auto parsed = detail::ParseTimeRange(*range, detail::Bounds::kAtLeastOne, "CALDAV:time-range");
  if (!parsed) return Fail(parsed.error());
  return FreeBusyQuery{*parsed};
}

// proto/dav owns the sync-collection grammar, so the (bounded) body is parsed a second time
// there; this adds the calendar-data its DAV:prop may name.
Result<CalendarSyncCollection> ParseSync(std::string_view body, const XmlElement& root,
                                         const XmlLimits& limits) {
  auto report = dav::ParseReport(body, limits);
  if (!report) return Fail(report.error());
  auto* sync = std::get_if<dav::SyncCollectionRequest>(&*report);
  REGIE_CHECK(sync != nullptr, "a DAV:sync-collection root parses as a sync-collection");
  auto data = detail::FindCalendarData(root.Find(dav::kDavNs, "prop"));
  if (!data) return Fail(data.error());
  return CalendarSyncCollection{std::move(*sync), std::move(*data)};
}

template <typename T>
Result<CalendarReport> AsReport(Result<T> parsed) {
  if (!parsed) return Fail(parsed.error());
  return CalendarReport(std::move(*parsed));
}

}  // namespace

Result<CalendarReport> ParseCalendarReport(std::string_view body, const XmlLimits& limits) {
  // RFC 3253 §3.6: the body's root element names the report, so there is no REPORT without one.
  if (dav::detail::IsBlankBody(body)) return BadBody("REPORT needs a body");
  auto root = formats::xml::ParseXml(body, limits);
  if (!root) return Fail(root.error());
  if (root->Is(kCalDavNs, "calendar-query")) return AsReport(ParseQuery(*root));
  if (root->Is(kCalDavNs, "calendar-multiget")) return AsReport(ParseMultiget(*root));
  if (root->Is(kCalDavNs, "free-busy-query")) return AsReport(ParseFreeBusy(*root));
  if (root->Is(dav::kDavNs, "sync-collection")) return AsReport(ParseSync(body, *root, limits));
  return dav::UnknownReport{root->name};
}

}  // namespace regie::proto::caldav
