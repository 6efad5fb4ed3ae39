// MKCALENDAR (RFC 4791 §5.3.1) and extended MKCOL (RFC 5689 §5.1) bodies. Both carry DAV:set
// elements shaped like PROPPATCH's, so the property values come from dav::ParseProppatch.
#include <algorithm>

#include "proto/caldav/caldav_requests.h"
#include "proto/dav/request_xml.h"

namespace regie::proto::caldav {
namespace {

using dav::detail::BadBody;
using formats::xml::XmlElement;
using formats::xml::XmlLimits;

QName Dav(std::string_view local) { return QName{std::string(dav::kDavNs), std::string(local)}; }

// The properties of the DAV:set children of `root`, valued exactly as PROPPATCH values them
// (xml:lang inherited from the root, DAV:set or DAV:prop included), so a dead property set at
// creation reads back like one set later. The sets are re-wrapped in a DAV:propertyupdate; the
// tree already passed `limits`, so its fragment may be as long as it needs.
Result<std::vector<dav::PropertyUpdate>> ParseSets(const XmlElement& root, const XmlLimits& limits,
                                                   std::string_view what) {
  XmlElement update;
  update.name = Dav("propertyupdate");
  update.attributes = root.attributes;
  for (const XmlElement& child : root.children) {
    if (child.Is(dav::kDavNs, "remove")) return BadBody(std::string(what) + " takes DAV:set only");
    if (child.Is(dav::kDavNs, "set")) update.children.push_back(child);
  }
  if (update.children.empty()) return std::vector<dav::PropertyUpdate>();
  const std::string fragment = formats::xml::SerializeFragment(update);
  XmlLimits wider = limits;
  wider.max_bytes = std::max(limits.max_bytes, fragment.size());
  auto patch = dav::ParseProppatch(fragment, wider);
  if (!patch) return Fail(patch.error());
  return std::move(patch->updates);
}

// RFC 5689 §3: the children of the last DAV:resourcetype set, or nullopt when none is.
std::optional<std::vector<QName>> FindResourceType(const XmlElement& root) {
  std::optional<std::vector<QName>> type;
  for (const XmlElement& set : root.children) {
    if (!set.Is(dav::kDavNs, "set")) continue;
    for (const XmlElement& prop : set.children) {
      if (!prop.Is(dav::kDavNs, "prop")) continue;
      if (const XmlElement* rt = prop.Find(dav::kDavNs, "resourcetype")) {
        type = dav::detail::ChildNames(*rt);
      }
    }
  }
  return type;
}

}  // namespace

Result<MkcolRequest> ParseMkcalendar(std::string_view body, const XmlLimits& limits) {
  MkcolRequest request;
  request.resource_type = {Dav("collection"), QName{std::string(kCalDavNs), "calendar"}};
  if (dav::detail::IsBlankBody(body)) return request;
  auto root = formats::xml::ParseXml(body, limits);
  if (!root) return Fail(root.error());
  if (!root->Is(kCalDavNs, "mkcalendar")) return BadBody("expected CALDAV:mkcalendar");
  auto set = ParseSets(*root, limits, "CALDAV:mkcalendar");
  if (!set) return Fail(set.error());
  request.set = std::move(*set);
  return request;
}

Result<MkcolRequest> ParseExtendedMkcol(std::string_view body, const XmlLimits& limits) {
  MkcolRequest request;
  request.resource_type = {Dav("collection")};
  if (dav::detail::IsBlankBody(body)) return request;
  auto root = dav::detail::ParseDavRoot(body, limits, "mkcol");
  if (!root) return Fail(root.error());
  auto set = ParseSets(*root, limits, "DAV:mkcol");
  if (!set) return Fail(set.error());
  request.set = std::move(*set);
  // The resource type says what to create; it is not a property to store.
  if (auto type = FindResourceType(*root)) {
    request.resource_type = std::move(*type);
    std::erase_if(request.set, [](const dav::PropertyUpdate& u) {
      return u.name == QName{std::string(dav::kDavNs), "resourcetype"};
    });
  }
  return request;
}

}  // namespace regie::proto::caldav
