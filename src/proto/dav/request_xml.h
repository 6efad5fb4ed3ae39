// Helpers shared by the WebDAV request body parsers (private to proto/dav).
#pragma once

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "formats/text/text_match.h"
#include "formats/xml/xml_element.h"
#include "proto/dav/dav_requests.h"

namespace regie::proto::dav::detail {

// True when the body is empty or XML white space only: RFC 4918 gives such bodies a meaning
// (allprop for PROPFIND, a refresh for LOCK).
bool IsBlankBody(std::string_view body);

// kInvalidInput with `detail` as the client-safe reason.
tl::unexpected<Error> BadBody(const std::string& detail);

// Parses `body` and checks that its root element is DAV:`local`.
Result<formats::xml::XmlElement> ParseDavRoot(std::string_view body,
                                              const formats::xml::XmlLimits& limits,
                                              std::string_view local);

// The names of the child elements of `e`, in document order (a DAV:prop's property names).
std::vector<QName> ChildNames(const formats::xml::XmlElement& e);

// The helpers below are shared with proto/caldav and proto/carddav, whose REPORT bodies embed
// the WebDAV grammar. They are inline so that those libraries reuse them without proto/dav
// growing sources for them.

// `s` without leading and trailing XML white space (hrefs, tokens, counts).
inline std::string_view TrimXmlSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// The value of the unqualified attribute `name` of `e` (as the DAV grammars use), or nullptr.
inline const std::string* Attribute(const formats::xml::XmlElement& e, std::string_view name) {
  for (const formats::xml::XmlAttribute& a : e.attributes) {
    if (a.name.ns.empty() && a.name.name == name) return &a.value;
  }
  return nullptr;
}

// A positive decimal integer such as an nresults value, or nullopt (zero, sign, overflow, junk).
inline std::optional<std::size_t> ParsePositiveCount(std::string_view text) {
  text = TrimXmlSpace(text);
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n == 0) {
    return std::nullopt;
  }
  return n;
}

// A text-match element of CalDAV (RFC 4791 §9.7.5) or CardDAV (RFC 6352 §10.5.4): its text and
// the collation, match-type and negate-condition attributes. `match.collation` comes in as the
// protocol's default. An unknown collation is kForbidden with {ns, "supported-collation"}; a bad
// attribute value is 400 naming `prefix` ("CALDAV", "CARDDAV").
inline Result<formats::text::TextMatch> ParseTextMatch(const formats::xml::XmlElement& e,
                                                       formats::text::TextMatch match,
                                                       std::string_view ns,
                                                       std::string_view prefix) {
  match.text = e.text;
  const std::string p(prefix);
  if (const std::string* name = Attribute(e, "collation")) {
    auto collation = formats::text::ParseCollation(*name);
    if (!collation) {
      return Fail(Errc::kForbidden, "unsupported collation " + *name, "unsupported collation",
                  {std::string(ns), "supported-collation"});
    }
    match.collation = *collation;
  }
  if (const std::string* type = Attribute(e, "match-type")) {
    auto parsed = formats::text::ParseMatchType(*type);
    if (!parsed) return BadBody(p + ":text-match has an unknown match-type");
    match.match = *parsed;
  }
  if (const std::string* negate = Attribute(e, "negate-condition")) {
    if (*negate != "yes" && *negate != "no") {
      return BadBody(p + ":text-match negate-condition must be yes or no");
    }
    match.negate = *negate == "yes";
  }
  return match;
}

// The optional `limit` element (with `nresults`) among the children of `root`, in namespace
// `ns` (DAV: for sync-collection, RFC 6578 §6.1; CardDAV's for addressbook-query, RFC 6352
// §10.6): a positive count, or 400 naming `prefix` ("DAV", "CARDDAV").
inline Result<std::optional<std::size_t>> ParseLimit(const formats::xml::XmlElement& root,
                                                     std::string_view ns, std::string_view prefix) {
  const formats::xml::XmlElement* limit = root.Find(ns, "limit");
  if (limit == nullptr) return std::optional<std::size_t>();
  const formats::xml::XmlElement* nresults = limit->Find(ns, "nresults");
  const std::string p(prefix);
  if (nresults == nullptr) return BadBody(p + ":limit needs " + p + ":nresults");
  auto count = ParsePositiveCount(nresults->text);
  if (!count) return BadBody(p + ":nresults must be a positive integer");
  return count;
}

// The optional (DAV:allprop | DAV:propname | DAV:prop) among the children of a REPORT body's
// root (RFC 4791 §9.5, §9.10; RFC 6352 §10.3, §10.7). Absent means allprop, as in PROPFIND;
// more than one is 400.
inline Result<PropfindRequest> ParsePropChoice(const formats::xml::XmlElement& parent) {
  PropfindRequest request;
  int forms = 0;
  for (const formats::xml::XmlElement& child : parent.children) {
    if (child.Is(kDavNs, "prop")) {
      request.kind = PropfindKind::kProp;
      request.props = ChildNames(child);
    } else if (child.Is(kDavNs, "propname")) {
      request.kind = PropfindKind::kPropname;
    } else if (child.Is(kDavNs, "allprop")) {
      request.kind = PropfindKind::kAllprop;
    } else {
      continue;
    }
    ++forms;
  }
  if (forms > 1) return BadBody("use one of DAV:prop, DAV:propname, DAV:allprop");
  if (request.kind == PropfindKind::kAllprop) {
    if (const formats::xml::XmlElement* include = parent.Find(kDavNs, "include")) {
      request.include = ChildNames(*include);
    }
  }
  return request;
}

}  // namespace regie::proto::dav::detail
