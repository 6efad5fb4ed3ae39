// COPY and MOVE (RFC 4918 §9.8, §9.9) within the caller's tree.
#include "frontend/dav/dav_response.h"
#include "frontend/dav/file_dav_handler.h"
#include "frontend/dav/write_check.h"
#include "proto/dav/dav_headers.h"
#include "proto/http/conditional.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

bool IsPrefix(const std::vector<std::string>& prefix, const std::vector<std::string>& path) {
  return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

}  // namespace

Reply HandleCopyMove(FileRequestPtr req) {
  const bool move = req->http.method == "MOVE";
  const service::FileTarget& from = req->target;
  if (!from.item && !from.folder) {
    return DavError(MakeError(Errc::kNotFound, "no resource " + from.name, "not found"));
  }
  const auto destination_header = req->http.headers.Get("Destination");
  if (!destination_header) {
    return DavError(MakeError(Errc::kInvalidInput, "no Destination", "Destination header missing"));
  }
  auto to_path = PathOfUrl(*req, *destination_header);
  if (!to_path) return DavError(to_path.error());
  auto overwrite = proto::dav::ParseOverwrite(req->http.headers.Get("Overwrite"));
  if (!overwrite) return DavError(overwrite.error());
  // RFC 4918 §9.8.3 and §9.9.3: COPY of a collection takes Depth 0 or infinity, MOVE only
  // infinity.
  auto depth = proto::dav::ParseDepth(req->http.headers.Get("Depth"), proto::dav::Depth::kInfinity);
  if (!depth || *depth == proto::dav::Depth::kOne ||
      (move && from.folder && *depth != proto::dav::Depth::kInfinity)) {
    return DavError(MakeError(Errc::kInvalidInput, "bad Depth for COPY or MOVE", "invalid Depth"));
  }
  const std::vector<std::string> from_path = req->path();
  if (*to_path == from_path) {
    return DavError(MakeError(Errc::kForbidden, "COPY or MOVE onto itself",
                              "source and destination are the same"));
  }
  // A collection cannot go into itself, nor replace one of its ancestors.
  if (from.folder && (IsPrefix(from_path, *to_path) || IsPrefix(*to_path, from_path))) {
    return DavError(MakeError(Errc::kForbidden, "COPY or MOVE into itself",
                              "the source and destination overlap"));
  }
  const auto replace = *overwrite ? service::Overwrite::kYes : service::Overwrite::kNo;
  const auto copy_depth = *depth == proto::dav::Depth::kZero ? model::CopyDepth::kCollectionOnly
                                                             : model::CopyDepth::kTree;
  // Resolving the destination and evaluating the If header read the store: blocking work.
  return proto::http::BlockingStep(
      [req, move, replace, copy_depth, from_path, to_path = std::move(*to_path)]() -> Reply {
        auto to = req->files.Resolve(req->caller, req->owner_login(), to_path);
        if (!to) return DavError(to.error());
        std::vector<WriteScope> scopes{{.path = to_path, .recursive = true, .membership = true}};
        if (move) {
          scopes.push_back(
              {.path = from_path, .recursive = req->target.folder.has_value(), .membership = true});
        }
        if (auto allowed = CheckWrite(*req, scopes); !allowed) return DavError(allowed.error());
        const auto conditions = proto::http::ParsePreconditions(req->http.headers);
        auto done = move ? req->files.Move(req->target, *to, replace, conditions)
                         : req->files.Copy(req->target, *to, replace, conditions, copy_depth);
        if (!done) return DavError(done.error());
        // Locks stay with URLs (RFC 4918 §7.5): the source's go with it, and a replaced
        // destination was deleted first, which ends its locks (§9.6.1).
        if (move) req->locks.RemoveWithin(req->LockPath(from_path));
        if (done->replaced) req->locks.RemoveWithin(req->LockPath(to_path));
        Response res;
        res.status = done->replaced ? 204 : 201;
        return res;
      });
}

}  // namespace regie::frontend::dav
