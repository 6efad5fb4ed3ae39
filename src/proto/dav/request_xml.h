// Helpers shared by the WebDAV request body parsers (private to proto/dav).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "formats/xml/xml_element.h"

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

}  // namespace regie::proto::dav::detail
