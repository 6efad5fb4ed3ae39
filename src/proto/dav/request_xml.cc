#include "proto/dav/request_xml.h"

#include <algorithm>

#include "proto/dav/dav_requests.h"

namespace regie::proto::dav::detail {

bool IsBlankBody(std::string_view body) {
  return std::all_of(body.begin(), body.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

tl::unexpected<Error> BadBody(const std::string& detail) {
  return Fail(Errc::kInvalidInput, "dav request body: " + detail, detail);
}

Result<formats::xml::XmlElement> ParseDavRoot(std::string_view body,
                                              const formats::xml::XmlLimits& limits,
                                              std::string_view local) {
  auto root = formats::xml::ParseXml(body, limits);
  if (!root) return Fail(root.error());
  if (!root->Is(kDavNs, local)) return BadBody("expected DAV:" + std::string(local));
  return root;
}

std::vector<QName> ChildNames(const formats::xml::XmlElement& e) {
  std::vector<QName> names;
  names.reserve(e.children.size());
  for (const auto& child : e.children) names.push_back(child.name);
  return names;
}

}  // namespace regie::proto::dav::detail
