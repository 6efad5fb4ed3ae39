// REPORT bodies. Only DAV:sync-collection (RFC 6578 §6.1) is known here; CalDAV and CardDAV
// reports will join as their codecs arrive.
#include <charconv>

#include "proto/dav/dav_requests.h"
#include "proto/dav/request_xml.h"

namespace regie::proto::dav {
namespace {

using detail::BadBody;
using formats::xml::XmlElement;

std::string_view TrimXmlSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// RFC 6578 §6.3: sync-level is "1" or "infinite". Clients that predate the element omit it and
// mean the collection's immediate members.
Result<SyncLevel> ParseSyncLevel(const XmlElement* level) {
  if (level == nullptr) return SyncLevel::kOne;
  const std::string_view text = TrimXmlSpace(level->text);
  if (text == "1") return SyncLevel::kOne;
  if (text == "infinite") return SyncLevel::kInfinite;
  return BadBody("DAV:sync-level must be 1 or infinite");
}

// RFC 6578 §6.1 borrows limit (nresults) from RFC 5323 (SEARCH): a positive integer.
Result<std::optional<std::size_t>> ParseLimit(const XmlElement* limit) {
  if (limit == nullptr) return std::optional<std::size_t>();
  const XmlElement* nresults = limit->Find(kDavNs, "nresults");
  if (nresults == nullptr) return BadBody("DAV:limit needs DAV:nresults");
  const std::string_view text = TrimXmlSpace(nresults->text);
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n == 0) {
    return BadBody("DAV:nresults must be a positive integer");
  }
  return std::optional<std::size_t>(n);
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
  auto limit = ParseLimit(root.Find(kDavNs, "limit"));
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
