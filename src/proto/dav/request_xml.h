// Helpers shared by the WebDAV request body parsers (private to proto/dav).
#pragma once

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
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
