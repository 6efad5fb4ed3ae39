#include "frontend/dav/principal_dav.h"

#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include "base/uri.h"
#include "formats/xml/xml_element.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/request_body.h"
#include "proto/dav/dav_headers.h"
#include "proto/dav/dav_requests.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

constexpr std::array<std::string_view, 5> kProperties = {"resourcetype", "displayname",
                                                         "principal-URL", "current-user-principal",
                                                         "principal-collection-set"};

void AppendHrefProperty(std::string& out, std::string_view name, std::string_view href) {
  out.append("<d:").append(name).append(">");
  AppendHref(out, href);
  out.append("</d:").append(name).append(">");
}

// Appends the value of the DAV: property `name`; false when the principal has no such property.
bool AppendProperty(std::string& out, std::string_view name, const model::Principal& principal,
                    std::string_view href, std::string_view collection_href) {
  if (name == "resourcetype") {
    out.append("<d:resourcetype><d:collection/><d:principal/></d:resourcetype>");
  } else if (name == "displayname") {
    out.append("<d:displayname>");
    formats::xml::AppendEscaped(
        out, principal.display_name.empty() ? principal.login : principal.display_name);
    out.append("</d:displayname>");
  } else if (name == "principal-URL" || name == "current-user-principal") {
    AppendHrefProperty(out, name, href);
  } else if (name == "principal-collection-set") {
    AppendHrefProperty(out, name, collection_href);
  } else {
    return false;
  }
  return true;
}

Response Describe(const proto::dav::PropfindRequest& propfind, const model::Principal& principal,
                  const std::string& href, const std::string& collection_href) {
  std::string found;
  std::string missing;
  if (propfind.kind == proto::dav::PropfindKind::kProp) {
    for (const auto& name : propfind.props) {
      if (name.ns != proto::dav::kDavNs ||
          !AppendProperty(found, name.name, principal, href, collection_href)) {
        AppendEmptyElement(missing, name);
      }
    }
  } else {
    for (const auto name : kProperties) {
      if (propfind.kind == proto::dav::PropfindKind::kPropname) {
        AppendEmptyElement(found, QName{"DAV:", std::string(name)});
      } else {
        AppendProperty(found, name, principal, href, collection_href);
      }
    }
  }
  std::string body(kMultistatusOpen);
  body.append("<d:response>");
  AppendHref(body, href);
  for (const auto& [props, status] : {std::pair{&found, 200}, std::pair{&missing, 404}}) {
    if (props->empty()) continue;
    body.append("<d:propstat><d:prop>").append(*props).append("</d:prop><d:status>");
    body.append(StatusLine(status)).append("</d:status></d:propstat>");
  }
  body.append("</d:response>").append(kMultistatusClose);
  return XmlResponse(207, std::move(body));
}

}  // namespace

Reply PrincipalDavHandler::Handle(proto::http::Request& request, const service::Caller& caller,
                                  http::RouteMatch match) {
  // Only one's own principal exists for the caller: anyone else's is not found (docs/access.md).
  if (match.segments.size() != 1 || match.segments.front() != caller.principal.login) {
    return DavError(MakeError(Errc::kNotFound, "principal of another user", "not found"));
  }
  if (request.method == "OPTIONS") {
    Response res;
    res.headers.Set("DAV", "1, 3");
    res.headers.Set("Allow", "OPTIONS, PROPFIND");
    return res;
  }
  if (request.method != "PROPFIND") {
    Response res = Response::Text(405, "method not allowed");
    res.headers.Set("Allow", "OPTIONS, PROPFIND");
    return res;
  }
  const std::string collection_href = match.href_prefix + "/";
  const std::string href = collection_href + PercentEncodeSegment(caller.principal.login) + "/";
  auto answer = [principal = caller.principal, href, collection_href,
                 limits = limits_](const std::string& body) -> Response {
    auto propfind = proto::dav::ParsePropfind(body, limits);
    if (!propfind) return DavError(propfind.error());
    return Describe(*propfind, principal, href, collection_href);
  };
  return WithBody(request, limits_.max_bytes, std::move(answer));
}

}  // namespace regie::frontend::dav
