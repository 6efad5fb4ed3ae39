// PROPFIND (RFC 4918 §9.1). The multistatus streams: members are read from the store a page at a
// time while the response is being sent, so a folder of any size is listed in bounded memory.
#include <algorithm>

#include "frontend/dav/dav_properties.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/file_dav_handler.h"
#include "frontend/dav/propfind_body.h"
#include "frontend/http/request_body.h"
#include "proto/dav/dav_headers.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

Reply HandlePropfind(FileRequestPtr req) {
  if (!req->target.item && !req->target.folder) {
    return DavError(MakeError(Errc::kNotFound, "no resource " + req->target.name, "not found"));
  }
  auto depth = PropfindDepth(req->http.headers, req->options.allow_propfind_infinity);
  if (!depth) return DavError(depth.error());
  return http::WithBody(req->http, req->options.xml.max_bytes,
                        [req, depth = *depth](const std::string& body) -> Response {
                          auto propfind = proto::dav::ParsePropfind(body, req->options.xml);
                          if (!propfind) return DavError(propfind.error());
                          auto context = ContextFor(*req, *propfind);
                          if (!context) return DavError(context.error());
                          return StreamedMultistatus(std::make_unique<PropfindBody>(
                              req, std::move(*propfind), depth, *context, ListingShape{}));
                        });
}

}  // namespace regie::frontend::dav
