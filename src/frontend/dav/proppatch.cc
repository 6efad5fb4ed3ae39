// PROPPATCH (RFC 4918 §9.2): every update or none, and a status for each property.
#include "frontend/dav/dav_properties.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/file_dav_handler.h"
#include "frontend/dav/request_body.h"
#include "frontend/dav/write_check.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

Response Multistatus(const FileRequest& req, const std::vector<std::pair<QName, int>>& results,
                     bool protected_refused) {
  std::string body(kMultistatusOpen);
  body.append("<d:response>");
  AppendHref(body, req.Href());
  for (const int status : {200, 403, 424, 500}) {
    std::string props;
    for (const auto& [name, s] : results) {
      if (s == status) AppendEmptyElement(props, name);
    }
    if (props.empty()) continue;
    body.append("<d:propstat><d:prop>").append(props).append("</d:prop><d:status>");
    body.append(StatusLine(status)).append("</d:status>");
    if (status == 403 && protected_refused) {
      body.append("<d:error><d:cannot-modify-protected-property/></d:error>");
    }
    body.append("</d:propstat>");
  }
  body.append("</d:response>").append(kMultistatusClose);
  return XmlResponse(207, std::move(body));
}

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
    return Multistatus(*req, results, true);
  }
  if (auto done = req->files.PatchProperties(req->target, changes); !done) {
    return DavError(done.error());
  }
  return Multistatus(*req, results, false);
}

}  // namespace

Reply HandleProppatch(FileRequestPtr req) {
  if (!req->target.item && !req->target.folder) {
    return DavError(MakeError(Errc::kNotFound, "no resource " + req->target.name, "not found"));
  }
  return WithBody(req->http, req->options.xml.max_bytes,
                  [req](const std::string& body) { return Patch(req, body); });
}

}  // namespace regie::frontend::dav
