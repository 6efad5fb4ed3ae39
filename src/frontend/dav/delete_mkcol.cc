// DELETE (RFC 4918 §9.6) and MKCOL (§9.3).
#include "frontend/dav/dav_response.h"
#include "frontend/dav/file_dav_handler.h"
#include "frontend/dav/write_check.h"
#include "proto/http/conditional.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

Reply HandleDelete(FileRequestPtr req) {
  if (!req->target.item && !req->target.folder) {
    return DavError(MakeError(Errc::kNotFound, "no resource " + req->target.name, "not found"));
  }
  // RFC 4918 §9.6.1: a collection is deleted as if with Depth: infinity; other depths are 400.
  if (req->target.folder) {
    if (auto depth = req->http.headers.Get("Depth"); depth && *depth != "infinity") {
      return DavError(MakeError(Errc::kInvalidInput,
                                "DELETE of a collection with Depth " + std::string(*depth),
                                "DELETE of a collection needs Depth: infinity"));
    }
  }
  if (auto allowed = CheckWrite(
          *req,
          {{.path = req->path(), .recursive = req->target.folder.has_value(), .membership = true}});
      !allowed) {
    return DavError(allowed.error());
  }
  auto conditions = proto::http::ParsePreconditions(req->http.headers);
  return proto::http::BlockingStep([req, conditions = std::move(conditions)]() -> Reply {
    auto deleted = req->files.Delete(req->target, conditions);
    if (!deleted) return DavError(deleted.error());
    req->locks.RemoveWithin(req->LockPath(req->path()));
    Response res;
    res.status = 204;
    return res;
  });
}

Reply HandleMkcol(FileRequestPtr req) {
  // RFC 4918 §9.3.1: a body this server does not understand is 415. Extended MKCOL (RFC 5689)
  // arrives with CalDAV.
  if (req->http.has_body) {
    return DavError(MakeError(Errc::kUnsupportedMediaType, "MKCOL with a body",
                              "MKCOL with a request body is not supported"));
  }
  return proto::http::BlockingStep([req]() -> Reply {
    if (auto allowed = CheckWrite(*req, {{.path = req->path(), .membership = true}}); !allowed) {
      return DavError(allowed.error());
    }
    auto made = req->files.MakeFolder(req->target);
    if (!made) return DavError(made.error());
    Response res;
    res.status = 201;
    return res;
  });
}

}  // namespace regie::frontend::dav
