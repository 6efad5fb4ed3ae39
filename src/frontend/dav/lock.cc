// LOCK and UNLOCK (RFC 4918 §9.10, §9.11).
#include "frontend/dav/dav_properties.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/file_dav_handler.h"
#include "frontend/dav/write_check.h"
#include "frontend/http/request_body.h"
#include "proto/dav/dav_headers.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

enum class NewToken { kNo, kYes };

Response LockResponse(const FileRequest& req, const service::LockInfo& lock, int status,
                      NewToken new_token) {
  std::string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:prop xmlns:d=\"DAV:\">";
  body.append("<d:lockdiscovery>");
  AppendActiveLock(body, req, lock);
  body.append("</d:lockdiscovery></d:prop>\n");
  Response res = XmlResponse(status, std::move(body));
  if (new_token == NewToken::kYes) res.headers.Set("Lock-Token", "<" + lock.token + ">");
  return res;
}

// RFC 4918 §9.10.2: a LOCK without a body refreshes the lock named in the If header.
Response Refresh(const FileRequestPtr& req, std::optional<std::chrono::seconds> timeout) {
  const std::string path = req->LockPath(req->path());
  for (const auto& token : SubmittedTokens(*req)) {
    auto refreshed = req->locks.Refresh(token, path, req->caller.principal.id, timeout);
    if (refreshed) {
      return LockResponse(*req, *refreshed, 200, NewToken::kNo);
    }
  }
  Error error = MakeError(Errc::kPreconditionFailed, "lock refresh without a matching token",
                          "no lock of yours on this resource matches the If header");
  error.condition = {"DAV:", "lock-token-matches-request-uri"};
  return DavError(error);
}

// A LOCK on an unmapped URL creates an empty resource (RFC 4918 §7.3, §9.10.4). Only if the URL
// is still unmapped: a file another client put there meanwhile is locked, never emptied.
// Returns whether it created the resource.
Result<bool> CreateEmpty(FileRequest& req) {
  const model::Preconditions unmapped{
      .if_match_any = false, .if_match = {}, .if_none_match_any = true, .if_none_match = {}};
  auto upload = req.files.BeginUpload(req.target, unmapped, 0, "");
  if (!upload) return Fail(upload.error());
  auto done = (*upload)->Commit();
  if (!done && done.error().code == Errc::kPreconditionFailed) return false;
  if (!done) return Fail(done.error());
  return true;
}

Response Lock(const FileRequestPtr& req, std::string_view body) {
  auto info = proto::dav::ParseLockInfo(body, req->options.xml);
  if (!info) return DavError(info.error());
  auto depth = proto::dav::ParseDepth(req->http.headers.Get("Depth"), proto::dav::Depth::kInfinity);
  if (!depth || *depth == proto::dav::Depth::kOne) {
    return DavError(
        MakeError(Errc::kInvalidInput, "LOCK with Depth 1", "Depth must be 0 or infinity"));
  }
  const auto timeout = proto::dav::ParseTimeout(req->http.headers.Get("Timeout"));
  if (!*info) return Refresh(req, timeout);
  const bool exists = req->target.item || req->target.folder;
  if (!exists && !req->target.parent) {
    return DavError(
        MakeError(Errc::kConflict, "LOCK without parent", "the parent folder does not exist"));
  }
  // Creating the empty resource changes the parent: its locks need their tokens too.
  auto allowed =
      exists ? EvaluateIf(*req) : CheckWrite(*req, {{.path = req->path(), .membership = true}});
  if (!allowed) return DavError(allowed.error());
  const auto scope = (*info)->scope == proto::dav::LockScope::kExclusive
                         ? service::LockScope::kExclusive
                         : service::LockScope::kShared;
  const auto lock_depth = *depth == proto::dav::Depth::kInfinity && req->target.folder
                              ? service::LockDepth::kInfinity
                              : service::LockDepth::kZero;
  auto lock = req->locks.Acquire({.path = req->LockPath(req->path()),
                                  .collection = req->target.folder.has_value(),
                                  .scope = scope,
                                  .depth = lock_depth,
                                  .owner = (*info)->owner,
                                  .principal = req->caller.principal.id,
                                  .timeout = timeout});
  if (!lock) return DavError(lock.error());
  bool created = false;
  if (!exists) {
    auto made = CreateEmpty(*req);
    if (!made) {
      (void)req->locks.Release(lock->token, lock->root);  // The lock protects nothing now.
      return DavError(made.error());
    }
    created = *made;
  }
  return LockResponse(*req, *lock, created ? 201 : 200, NewToken::kYes);
}

}  // namespace

Reply HandleLock(FileRequestPtr req) {
  return http::WithBody(req->http, req->options.xml.max_bytes,
                        [req](const std::string& body) { return Lock(req, body); });
}

Reply HandleUnlock(FileRequestPtr req) {
  const auto header = req->http.headers.Get("Lock-Token");
  if (!header) {
    return DavError(
        MakeError(Errc::kInvalidInput, "UNLOCK without Lock-Token", "Lock-Token header missing"));
  }
  auto token = proto::dav::ParseLockTokenHeader(*header);
  if (!token) return DavError(token.error());
  const std::string path = req->LockPath(req->path());
  for (const auto& lock : req->locks.Covering(path)) {
    if (lock.token == *token && lock.principal != req->caller.principal.id) {
      return DavError(
          MakeError(Errc::kForbidden, "UNLOCK of another's lock", "the lock is not yours"));
    }
  }
  if (auto released = req->locks.Release(*token, path); !released) {
    return DavError(released.error());
  }
  Response res;
  res.status = 204;
  return res;
}

}  // namespace regie::frontend::dav
