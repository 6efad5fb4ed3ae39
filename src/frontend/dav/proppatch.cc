// PROPPATCH (RFC 4918 §9.2): every update or none, and a status for each property.
#include "frontend/dav/dav_properties.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/file_dav_handler.h"
#include "frontend/dav/write_check.h"
#include "frontend/http/request_body.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

Response Patch(const FileRequestPtr& req, std::string_view body) {
  auto patch = proto::dav::ParseProppatch(body, req->options.xml);
  if (!patch) return DavError(patch.error());
  if (auto allowed = CheckWrite(*req, {{.path = req->path()}}); !allowed) {
    return DavError(allowed.error());
  }
  std::vector<std::pair<QName, int>> results;
  std::vector<service::PropertyChange> changes;
  bool refused = false;
  for (const auto& update : patch->updates) {
    const bool live = IsLiveProperty(update.name);
    refused = refused || live;
    results.emplace_back(update.name, live ? 403 : 200);
    changes.push_back({update.op == proto::dav::PatchOp::kSet ? service::PropertyOp::kSet
                                                              : service::PropertyOp::kRemove,
                       model::DeadProperty{update.name, update.value}});
  }
  if (refused) {
    // All or nothing: the other updates were not applied (RFC 4918 §9.2, 424 Failed Dependency).
    for (auto& [name, status] : results) {
      if (status == 200) status = 424;
    }
    return ProppatchMultistatus(req->Href(), results, true);
  }
  if (auto done = req->files.PatchProperties(req->target, changes); !done) {
    return DavError(done.error());
  }
  return ProppatchMultistatus(req->Href(), results, false);
}

}  // namespace

Reply HandleProppatch(FileRequestPtr req) {
  if (!req->target.item && !req->target.folder) {
    return DavError(MakeError(Errc::kNotFound, "no resource " + req->target.name, "not found"));
  }
  return http::WithBody(req->http, req->options.xml.max_bytes,
                        [req](const std::string& body) { return Patch(req, body); });
}

}  // namespace regie::frontend::dav
