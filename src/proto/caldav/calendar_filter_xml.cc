// CALDAV:filter (RFC 4791 §9.7) and CALDAV:time-range (§9.9). The DTD's shape is enforced with
// 400s; what the DTD cannot say (the VCALENDAR root, how components nest) is CALDAV:valid-filter.
#include <chrono>
#include <cstdint>

#include "proto/caldav/caldav_requests.h"
#include "proto/caldav/caldav_xml.h"
#include "proto/dav/request_xml.h"

namespace regie::proto::caldav::detail {
namespace {

using dav::detail::Attribute;
using dav::detail::BadBody;
using formats::ical::CompFilter;
using formats::ical::ParamFilter;
using formats::ical::PropFilter;
using formats::ical::TimeRange;
using formats::xml::XmlElement;

std::optional<int> Digits(std::string_view s, std::size_t pos, std::size_t count) {
  int value = 0;
  for (char c : s.substr(pos, count)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// RFC 5545 §3.3.5 form #2, "date with UTC time": YYYYMMDD "T" HHMMSS "Z". Floating and TZID
// forms have no meaning without a zone, so §9.9 allows only this one.
std::optional<std::int64_t> ParseUtcDateTime(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  const auto y = Digits(s, 0, 4), mo = Digits(s, 4, 2), d = Digits(s, 6, 2);
  const auto h = Digits(s, 9, 2), mi = Digits(s, 11, 2), sec = Digits(s, 13, 2);
  if (!y || !mo || !d || !h || !mi || !sec) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*y),
                                         std::chrono::month(static_cast<unsigned>(*mo)),
                                         std::chrono::day(static_cast<unsigned>(*d))};
  // A seconds value of 60 is RFC 5545's leap second; it counts as the next minute's first.
  if (!date.ok() || *h > 23 || *mi > 59 || *sec > 60) return std::nullopt;
  const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  const int seconds_of_day = *h * 3600 + *mi * 60 + *sec;
  return days * 86400 + seconds_of_day;
}

Result<std::string> RequiredName(const XmlElement& e, std::string_view what) {
  const std::string* name = Attribute(e, "name");
  if (name == nullptr || name->empty()) return BadBody(std::string(what) + " needs a name");
  return UpperAscii(*name);
}

// RFC 5545 §3.4, §3.6: where each component may appear. Names not listed (X- and IANA
// components) may appear anywhere below the root.
bool MayNest(std::string_view parent, std::string_view child) {
  if (parent.empty() || child == "VCALENDAR") return parent.empty() && child == "VCALENDAR";
  if (child == "VEVENT" || child == "VTODO" || child == "VJOURNAL" || child == "VFREEBUSY" ||
      child == "VTIMEZONE" || child == "VAVAILABILITY") {
    return parent == "VCALENDAR";
  }
  if (child == "VALARM") return parent == "VEVENT" || parent == "VTODO";
  if (child == "STANDARD" || child == "DAYLIGHT") return parent == "VTIMEZONE";
  if (child == "AVAILABLE") return parent == "VAVAILABILITY";
  return true;
}

// RFC 4791 §9.7.5, i;ascii-casemap by default. match-type is RFC 6352's (CardDAV) attribute,
// accepted here as CalendarServer does; without it CalDAV matches substrings.
Result<formats::text::TextMatch> ParseTextMatch(const XmlElement& e) {
  return dav::detail::ParseTextMatch(e, {}, kCalDavNs, "CALDAV");
}

// RFC 4791 §9.7.3: param-filter (is-not-defined | text-match)?
Result<ParamFilter> ParseParamFilter(const XmlElement& e) {
  auto name = RequiredName(e, "CALDAV:param-filter");
  if (!name) return Fail(name.error());
  ParamFilter filter{*name, e.Find(kCalDavNs, "is-not-defined") != nullptr, std::nullopt};
  if (const XmlElement* text = e.Find(kCalDavNs, "text-match")) {
    if (filter.is_not_defined) return BadBody("CALDAV:is-not-defined stands alone");
    auto match = ParseTextMatch(*text);
    if (!match) return Fail(match.error());
    filter.text_match = std::move(*match);
  }
  return filter;
}

// RFC 4791 §9.7.2: prop-filter (is-not-defined | ((time-range | text-match)?, param-filter*))
Result<PropFilter> ParsePropFilter(const XmlElement& e) {
  auto name = RequiredName(e, "CALDAV:prop-filter");
  if (!name) return Fail(name.error());
  PropFilter filter;
  filter.name = std::move(*name);
  filter.is_not_defined = e.Find(kCalDavNs, "is-not-defined") != nullptr;
  for (const XmlElement& child : e.children) {
    if (child.Is(kCalDavNs, "time-range")) {
      auto range = ParseTimeRange(child, Bounds::kAtLeastOne, "CALDAV:time-range");
      if (!range) return Fail(range.error());
      filter.time_range = *range;
    } else if (child.Is(kCalDavNs, "text-match")) {
      auto match = ParseTextMatch(child);
      if (!match) return Fail(match.error());
      filter.text_match = std::move(*match);
    } else if (child.Is(kCalDavNs, "param-filter")) {
      auto param = ParseParamFilter(child);
      if (!param) return Fail(param.error());
      filter.params.push_back(std::move(*param));
    }
  }
  const bool tests = filter.time_range || filter.text_match || !filter.params.empty();
  if (filter.is_not_defined && tests) return BadBody("CALDAV:is-not-defined stands alone");
  if (filter.time_range && filter.text_match) {
    return BadBody("CALDAV:prop-filter takes a time-range or a text-match, not both");
  }
  return filter;
}

// RFC 4791 §9.7.1: comp-filter (is-not-defined | (time-range?, prop-filter*, comp-filter*)).
// `parent` is the enclosing comp-filter's name, empty at the top.
Result<CompFilter> ParseCompFilter(const XmlElement& e, std::string_view parent) {
  auto name = RequiredName(e, "CALDAV:comp-filter");
  if (!name) return Fail(name.error());
  if (parent.empty() && *name != "VCALENDAR") {
    return Precondition("valid-filter", "the filter must name VCALENDAR");
  }
  if (!MayNest(parent, *name)) {
    return Precondition("valid-filter", *name + " cannot be in " + std::string(parent));
  }
  CompFilter filter;
  filter.name = std::move(*name);
  filter.is_not_defined = e.Find(kCalDavNs, "is-not-defined") != nullptr;
  for (const XmlElement& child : e.children) {
    if (child.Is(kCalDavNs, "time-range")) {
      auto range = ParseTimeRange(child, Bounds::kAtLeastOne, "CALDAV:time-range");
      if (!range) return Fail(range.error());
      filter.time_range = *range;
    } else if (child.Is(kCalDavNs, "prop-filter")) {
      auto prop = ParsePropFilter(child);
      if (!prop) return Fail(prop.error());
      filter.props.push_back(std::move(*prop));
    } else if (child.Is(kCalDavNs, "comp-filter")) {
      auto comp = ParseCompFilter(child, filter.name);
      if (!comp) return Fail(comp.error());
      filter.comps.push_back(std::move(*comp));
    }
  }
  const bool tests = filter.time_range || !filter.props.empty() || !filter.comps.empty();
  if (filter.is_not_defined && tests) return BadBody("CALDAV:is-not-defined stands alone");
  return filter;
}

}  // namespace

tl::unexpected<Error> Precondition(std::string_view condition, const std::string& detail) {
  return Fail(Errc::kForbidden, "caldav request body: " + detail, detail,
              QName{std::string(kCalDavNs), std::string(condition)});
}

std::string UpperAscii(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Result<TimeRange> ParseTimeRange(const XmlElement& e, Bounds bounds, std::string_view what) {
  TimeRange range;
  const std::pair<std::string_view, std::optional<std::int64_t>*> attributes[] = {
      {"start", &range.start}, {"end", &range.end}};
  for (auto [attribute, bound] : attributes) {
    const std::string* text = Attribute(e, attribute);
    if (text == nullptr) continue;
    *bound = ParseUtcDateTime(*text);
    if (!*bound) return BadBody(std::string(what) + " needs UTC times like 20060104T000000Z");
  }
  const bool both = range.start && range.end;
  if (bounds == Bounds::kBoth && !both) return BadBody(std::string(what) + " needs start and end");
  if (!range.start && !range.end) return BadBody(std::string(what) + " needs start or end");
  if (both && *range.end <= *range.start) {
    return BadBody(std::string(what) + " must end after it starts");
  }
  return range;
}

Result<CompFilter> ParseFilter(const XmlElement& filter) {
  const XmlElement* root = nullptr;
  for (const XmlElement& child : filter.children) {
    if (!child.Is(kCalDavNs, "comp-filter")) continue;
    if (root != nullptr) return Precondition("valid-filter", "the filter takes one comp-filter");
    root = &child;
  }
  if (root == nullptr) return Precondition("valid-filter", "the filter needs a comp-filter");
  return ParseCompFilter(*root, {});
}

}  // namespace regie::proto::caldav::detail
