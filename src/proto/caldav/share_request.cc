// Sharing POST bodies. CalendarServer's caldav-sharing.txt defines CS:share; Nextcloud's
// apps/dav Sharing plugin reads the same grammar in the ownCloud namespace (o:share, o:set,
// o:common-name, o:summary, o:read-write, o:remove), for calendars and address books alike.
#include "proto/caldav/caldav_requests.h"
#include "proto/dav/request_xml.h"

namespace regie::proto::caldav {
namespace {

using dav::detail::BadBody;
using formats::xml::XmlElement;

Result<std::string> RequiredHref(const XmlElement& e) {
  const XmlElement* href = e.Find(dav::kDavNs, "href");
  const std::string_view text =
      href == nullptr ? std::string_view() : dav::detail::TrimXmlSpace(href->text);
  if (text.empty()) return BadBody("each set and remove of a share needs a DAV:href");
  return std::string(text);
}

std::optional<std::string> OptionalText(const XmlElement& e, std::string_view ns,
                                        std::string_view local) {
  const XmlElement* child = e.Find(ns, local);
  if (child == nullptr) return std::nullopt;
  return std::string(dav::detail::TrimXmlSpace(child->text));
}

// set (DAV:href, common-name?, summary?, (read | read-write)); read-write must be explicit, so a
// sharee added without it (Nextcloud's default) gets read access only.
Result<ShareSet> ParseSet(const XmlElement& e, std::string_view ns) {
  auto href = RequiredHref(e);
  if (!href) return Fail(href.error());
  ShareSet set;
  set.href = std::move(*href);
  set.common_name = OptionalText(e, ns, "common-name");
  set.summary = OptionalText(e, ns, "summary");
  if (e.Find(ns, "read-write") != nullptr) set.access = ShareSet::Access::kReadWrite;
  return set;
}

}  // namespace

Result<ShareRequest> ParseShareRequest(std::string_view body,
                                       const formats::xml::XmlLimits& limits) {
  if (dav::detail::IsBlankBody(body)) return BadBody("a share request needs a body");
  auto root = formats::xml::ParseXml(body, limits);
  if (!root) return Fail(root.error());
  if (!root->Is(kCalendarServerNs, "share") && !root->Is(kOwnCloudNs, "share")) {
    return BadBody("expected CS:share or o:share");
  }
  const std::string& ns = root->name.ns;
  ShareRequest request;
  for (const XmlElement& child : root->children) {
    if (child.Is(ns, "set")) {
      auto set = ParseSet(child, ns);
      if (!set) return Fail(set.error());
      request.set.push_back(std::move(*set));
    } else if (child.Is(ns, "remove")) {
      auto href = RequiredHref(child);
      if (!href) return Fail(href.error());
      request.remove.push_back(std::move(*href));
    }
  }
  if (request.set.empty() && request.remove.empty()) {
    return BadBody("a share request needs a set or a remove");
  }
  return request;
}

}  // namespace regie::proto::caldav
