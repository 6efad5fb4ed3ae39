// REPORT bodies known to plain WebDAV: DAV:sync-collection (RFC 6578 §6.1). CalDAV and CardDAV
// reports are parsed in proto/caldav and proto/carddav, which delegate sync-collection here.
#include "proto/dav/dav_requests.h"
#include "proto/dav/request_xml.h"

namespace regie::proto::dav {
namespace {

using detail::BadBody;
using detail::TrimXmlSpace;
using formats::xml::XmlElement;

// RFC 6578 §6.3: sync-level is "1" or "infinite". Clients that predate the element omit it and
// mean the collection's immediate members.
Result<SyncLevel> ParseSyncLevel(const XmlElement* level) {
  if (level == nullptr) return SyncLevel::kOne;
  const std::string_view text = TrimXmlSpace(level->text);
  if (text == "1") return SyncLevel::kOne;
  if (text == "infinite") return SyncLevel::kInfinite;
  return BadBody("DAV:sync-level must be 1 or infinite");
}

Result<SyncCollectionRequest> ParseSyncCollection(const XmlElement& root) {
  SyncCollectionRequest request;
  // RFC 6578 §6.1: sync-collection (sync-token, sync-level, limit?, prop); the token is empty
  // on the first sync, but the element is required.
  const XmlElement* token = root.Find(kDavNs, "sync-token");
  if (token == nullptr) return BadBody("DAV:sync-collection needs DAV:sync-token");
  request.sync_token = std::string(TrimXmlSpace(token->text));
  auto level = ParseSyncLevel(root.Find(kDavNs, "sync-level"));
  if (!level) return Fail(level.error());
  request.level = *level;
  auto limit = detail::ParseLimit(root, kDavNs, "DAV");
  if (!limit) return Fail(limit.error());
  request.limit = *limit;
  if (const XmlElement* prop = root.Find(kDavNs, "prop")) {
    request.props.kind = PropfindKind::kProp;
    request.props.props = detail::ChildNames(*prop);
  }
  return request;
}

}  // namespace

Result<ReportRequest> ParseReport(std::string_view body, const formats::xml::XmlLimits& limits) {
  // RFC 3253 §3.6: the body's root element names the report, so there is no REPORT without one.
  if (detail::IsBlankBody(body)) return BadBody("REPORT needs a body");
  auto root = formats::xml::ParseXml(body, limits);
  if (!root) return Fail(root.error());
  if (!root->Is(kDavNs, "sync-collection")) return UnknownReport{root->name};
  auto sync = ParseSyncCollection(*root);
  if (!sync) return Fail(sync.error());
  return std::move(*sync);
}

}  // namespace regie::proto::dav
