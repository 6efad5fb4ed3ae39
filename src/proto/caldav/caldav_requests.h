// Parsers of CalDAV request bodies: the REPORTs of RFC 4791 §7.8-§7.10 (with DAV:sync-collection,
// RFC 6578), MKCALENDAR (§5.3.1), extended MKCOL (RFC 5689) and the sharing POSTs of
// CalendarServer and Nextcloud. Each parses with formats::xml::ParseXml (DTDs refused, limits
// applied), checks the structure the RFC requires and returns plain structs; evaluation belongs
// to formats/ical and the services.
//
// Errors: kInvalidInput (400) with a short client-safe detail for malformed bodies; kTooLarge
// from the XML limits; kForbidden with Error::condition set for the CalDAV preconditions
// (RFC 4791 §1.3): {kCalDavNs, "valid-filter"}, {kCalDavNs, "supported-collation"},
// {kCalDavNs, "supported-calendar-data"}. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "formats/ical/calendar_filter.h"
#include "formats/ical/calendar_object.h"
#include "formats/xml/xml_element.h"
#include "proto/dav/dav_requests.h"

namespace regie::proto::caldav {

using formats::ical::kCalDavNs;  // "urn:ietf:params:xml:ns:caldav"
inline constexpr std::string_view kCalendarServerNs = "http://calendarserver.org/ns/";
inline constexpr std::string_view kOwnCloudNs = "http://owncloud.org/ns";
inline constexpr std::string_view kAppleIcalNs = "http://apple.com/ns/ical/";

// RFC 4791 §7.8 CALDAV:calendar-query.
struct CalendarQuery {
  dav::PropfindRequest props;  // CALDAV:calendar-data stays among props.props as a name.
  // The CALDAV:calendar-data element inside DAV:prop, when asked for.
  std::optional<formats::ical::CalendarDataRequest> data;
  formats::ical::CompFilter filter;     // The one top-level comp-filter, named VCALENDAR.
  std::optional<std::string> timezone;  // CALDAV:timezone: a VCALENDAR with one VTIMEZONE.
  // CALDAV:limit/CALDAV:nresults. Not in RFC 4791: accepted in the shape of CardDAV's limit
  // (RFC 6352 §8.6.1) for clients that send it; none of the common ones do.
  std::optional<std::size_t> limit;
};

// RFC 4791 §7.9 CALDAV:calendar-multiget.
struct CalendarMultiget {
  dav::PropfindRequest props;
  std::optional<formats::ical::CalendarDataRequest> data;
  std::vector<std::string> hrefs;  // As sent (trimmed); at least one.
};

// RFC 4791 §7.10 CALDAV:free-busy-query.
struct FreeBusyQuery {
  formats::ical::TimeRange range;  // At least one bound.
};

// DAV:sync-collection (RFC 6578) on a calendar, with the calendar-data its DAV:prop asks for.
struct CalendarSyncCollection {
  dav::SyncCollectionRequest sync;
  std::optional<formats::ical::CalendarDataRequest> data;
};

using CalendarReport = std::variant<CalendarQuery, CalendarMultiget, FreeBusyQuery,
                                    CalendarSyncCollection, dav::UnknownReport>;

// A REPORT body on a calendar or calendar home. Roots other than the three CalDAV reports and
// DAV:sync-collection are UnknownReport. Time ranges (§9.9) are UTC date-times
// "YYYYMMDDTHHMMSSZ" turned into Unix seconds; one without bounds, a value that is not UTC and
// an end not after the start are 400; so are expand and limit-recurrence-set without both bounds
// (§9.6.5, §9.6.6). The filter must hold exactly one comp-filter named VCALENDAR, and components
// must nest as iCalendar nests them (VEVENT in VCALENDAR, VALARM in VEVENT or VTODO), else
// kForbidden with CALDAV:valid-filter (§7.8). Component, property and parameter names are
// upper-cased.
Result<CalendarReport> ParseCalendarReport(std::string_view body,
                                           const formats::xml::XmlLimits& limits);

// What MKCALENDAR or an extended MKCOL asks for.
struct MkcolRequest {
  // The properties to set, in document order: op kSet, value the SerializeFragment of the
  // property element (as ParseProppatch keeps it), so dead properties round-trip. Which of them
  // are live (displayname, calendar-timezone, …) is the caller's decision.
  std::vector<dav::PropertyUpdate> set;
  // The resource type to create: {DAV:collection, CALDAV:calendar} for MKCALENDAR; for an
  // extended MKCOL the children of its DAV:resourcetype (which is then not among `set`), or
  // {DAV:collection} when it names none. Whether that type is supported is the caller's
  // decision (DAV:valid-resourcetype, RFC 5689 §3.3).
  std::vector<QName> resource_type;
};

// RFC 4791 §5.3.1: CALDAV:mkcalendar holding DAV:set/DAV:prop; an empty body creates a calendar
// with no properties set. DAV:remove, or a DAV:set without properties, is 400.
Result<MkcolRequest> ParseMkcalendar(std::string_view body, const formats::xml::XmlLimits& limits);

// RFC 5689 §5.1: DAV:mkcol holding DAV:set/DAV:prop. An empty body is a plain collection
// (RFC 4918 MKCOL).
Result<MkcolRequest> ParseExtendedMkcol(std::string_view body,
                                        const formats::xml::XmlLimits& limits);

// One sharee of a sharing POST.
struct ShareSet {
  enum class Access { kRead, kReadWrite };
  std::string href;  // As sent: "mailto:bob@x", "principal:principals/users/bob", "/dav/…/".
  std::optional<std::string> common_name;
  std::optional<std::string> summary;
  Access access = Access::kRead;  // Read-write only with an explicit read-write element.
};

struct ShareRequest {
  std::vector<ShareSet> set;        // Sharees to add or update, in document order.
  std::vector<std::string> remove;  // Hrefs of sharees to remove.
};

// A POST body sharing a calendar or address book: CalendarServer's CS:share
// (caldav-sharing.txt) or Nextcloud's o:share (apps/dav Sharing plugin), whose children are the
// same elements in their root's namespace: set (DAV:href, common-name?, summary?, read-write?)
// and remove (DAV:href). A share with neither, or a set or remove without an href, is 400.
Result<ShareRequest> ParseShareRequest(std::string_view body,
                                       const formats::xml::XmlLimits& limits);

}  // namespace regie::proto::caldav
