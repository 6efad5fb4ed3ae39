// REPORT (RFC 3253 §3.6) on file trees: sync-collection (RFC 6578).
#include <charconv>

#include "frontend/dav/dav_properties.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/file_dav_handler.h"
#include "frontend/dav/propfind_body.h"
#include "frontend/http/request_body.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

// Sync tokens are URIs (RFC 6578 §3.2) naming the synchronised folder and a position in its
// tree's change log, so that a token of another folder or tree is refused rather than misread
// (a client holding /a/'s token must not skip /b/'s existing members).
constexpr std::string_view kTokenPrefix = "urn:regie:sync:";

std::string TokenScope(const model::Collection& folder) {
  return std::to_string(folder.sync_root.value) + "." + std::to_string(folder.id.value) + ":";
}

std::string MakeToken(const model::Collection& folder, std::uint64_t seq) {
  return std::string(kTokenPrefix) + TokenScope(folder) + std::to_string(seq);
}

Error InvalidToken() {
  Error error = MakeError(Errc::kForbidden, "invalid sync token", "invalid sync token");
  error.condition = {"DAV:", "valid-sync-token"};
  return error;
}

Result<std::uint64_t> ParseToken(std::string_view token, const model::Collection& folder) {
  if (!token.starts_with(kTokenPrefix)) return Fail(InvalidToken());
  token.remove_prefix(kTokenPrefix.size());
  const std::string root = TokenScope(folder);
  if (!token.starts_with(root)) return Fail(InvalidToken());
  token.remove_prefix(root.size());
  std::uint64_t seq = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), seq);
  if (ec != std::errc() || end != token.data() + token.size()) return Fail(InvalidToken());
  return seq;
}

void AppendToken(std::string& out, const std::string& token) {
  out.append("<d:sync-token>");
  formats::xml::AppendEscaped(out, token);
  out.append("</d:sync-token>");
}

Response InitialSync(const FileRequestPtr& req, proto::dav::SyncCollectionRequest sync) {
  const model::Collection& folder = *req->target.folder;
  auto seq = req->files.CurrentSeq(req->target);
  if (!seq) return DavError(seq.error());
  // The sequence is read before the listing: a change racing with it is reported again next
  // time, never lost.
  ListingShape shape{.include_self = false, .trailer = {}};
  AppendToken(shape.trailer, MakeToken(folder, *seq));
  auto context = ContextFor(*req, sync.props);
  if (!context) return DavError(context.error());
  const auto depth = sync.level == proto::dav::SyncLevel::kOne ? proto::dav::Depth::kOne
                                                               : proto::dav::Depth::kInfinity;
  return StreamedMultistatus(std::make_unique<PropfindBody>(req, std::move(sync.props), depth,
                                                            *context, std::move(shape)));
}

Response IncrementalSync(const FileRequestPtr& req, const proto::dav::SyncCollectionRequest& sync,
                         std::uint64_t since) {
  const std::size_t server_limit = req->options.max_sync_results;
  const bool client_limited = sync.limit && *sync.limit < server_limit;
  auto changes = req->files.ChangesSince(req->target, since,
                                         sync.level == proto::dav::SyncLevel::kOne
                                             ? service::SyncScope::kMembers
                                             : service::SyncScope::kTree,
                                         client_limited ? *sync.limit : server_limit,
                                         client_limited ? service::FileService::LimitKind::kClient
                                                        : service::FileService::LimitKind::kServer);
  if (!changes) return DavError(changes.error());
  auto context = ContextFor(*req, sync.props);
  if (!context) return DavError(context.error());
  const bool dead = NeedsDeadProperties(sync.props);
  std::vector<std::string> base = req->path();
  std::string body(kMultistatusOpen);
  for (const auto& change : changes->changes) {
    std::vector<std::string> path = base;
    path.insert(path.end(), change.path.begin(), change.path.end());
    if (!change.item && !change.folder) {
      // RFC 6578 §3.5.2: a removed member is a response with status 404 and no propstat.
      AppendStatusResponse(
          body, req->HrefOf(path, change.collection ? HrefKind::kCollection : HrefKind::kMember),
          404);
      continue;
    }
    const Resource resource{path, change.folder ? &*change.folder : nullptr,
                            change.item ? &*change.item : nullptr};
    std::vector<model::DeadProperty> properties;
    if (dead) {
      auto listed = req->files.Properties(req->target, IdOf(resource));
      // Gone since the changes were read: the next report says so; this one lists none.
      if (!listed && listed.error().code != Errc::kNotFound) return DavError(listed.error());
      if (listed) properties = std::move(*listed);
    }
    AppendPropResponse(body, *context, resource, sync.props, properties);
  }
  if (changes->truncated) {
    // RFC 6578 §3.6: truncated results carry a 507 for the request-URI; the token continues.
    body.append("<d:response>");
    AppendHref(body, req->Href());
    body.append("<d:status>").append(StatusLine(507)).append("</d:status>");
    body.append("<d:error><d:number-of-matches-within-limits/></d:error></d:response>");
  }
  AppendToken(body, MakeToken(*req->target.folder, changes->seq));
  body.append(kMultistatusClose);
  return XmlResponse(207, std::move(body));
}

Response Report(const FileRequestPtr& req, std::string_view body) {
  auto report = proto::dav::ParseReport(body, req->options.xml);
  if (!report) return DavError(report.error());
  auto* sync = std::get_if<proto::dav::SyncCollectionRequest>(&*report);
  if (!sync || !req->target.folder) {
    // RFC 3253 §3.6: a report the resource does not support is 403 with DAV:supported-report.
    Error error =
        MakeError(Errc::kForbidden, "unsupported REPORT", "this report is not supported here");
    error.condition = {"DAV:", "supported-report"};
    return DavError(error);
  }
  if (sync->sync_token.empty()) return InitialSync(req, std::move(*sync));
  auto since = ParseToken(sync->sync_token, *req->target.folder);
  if (!since) return DavError(since.error());
  return IncrementalSync(req, *sync, *since);
}

}  // namespace

Reply HandleReport(FileRequestPtr req) {
  if (!req->target.item && !req->target.folder) {
    return DavError(MakeError(Errc::kNotFound, "no resource " + req->target.name, "not found"));
  }
  return http::WithBody(req->http, req->options.xml.max_bytes,
                        [req](const std::string& body) { return Report(req, body); });
}

}  // namespace regie::frontend::dav
