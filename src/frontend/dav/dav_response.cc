#include "frontend/dav/dav_response.h"

#include "formats/xml/xml_element.h"
#include "frontend/http/error_response.h"

namespace regie::frontend::dav {

using formats::xml::AppendEscaped;
using proto::http::Response;

namespace {

constexpr std::string_view kDav = "DAV:";

// The opening of an element, without '>' or '/>'.
void AppendStart(std::string& out, const QName& name) {
  if (name.ns == kDav) {
    out.append("<d:").append(name.name);
    return;
  }
  if (name.ns.empty()) {  // An element in no namespace cannot use a prefix.
    out.append("<").append(name.name).append(" xmlns=\"\"");
    return;
  }
  out.append("<x:").append(name.name).append(" xmlns:x=\"");
  AppendEscaped(out, name.ns);
  out.push_back('"');
}

}  // namespace

Response DavError(const Error& error) {
  Response res = http::ErrorResponse(error);
  if (error.condition.empty()) return res;
  std::string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\">";
  if (error.condition_href.empty()) {
    AppendEmptyElement(body, error.condition);
  } else {
    AppendOpen(body, error.condition);
    AppendHref(body, error.condition_href);
    AppendClose(body, error.condition);
  }
  body.append("</d:error>\n");
  res.body = std::move(body);
  res.headers.Set("Content-Type", "application/xml; charset=utf-8");
  return res;
}

Result<proto::dav::Depth> PropfindDepth(const proto::http::Headers& headers, bool allow_infinity) {
  auto depth = proto::dav::ParseDepth(headers.Get("Depth"), proto::dav::Depth::kInfinity);
  if (!depth) return Fail(depth.error());
  if (*depth == proto::dav::Depth::kInfinity && !allow_infinity) {
    return Fail(Errc::kForbidden, "PROPFIND Depth: infinity refused",
                "PROPFIND with Depth: infinity is not allowed here",
                {"DAV:", "propfind-finite-depth"});
  }
  return depth;
}

Response XmlResponse(int status, std::string body) {
  Response res;
  res.status = status;
  res.body = std::move(body);
  res.headers.Set("Content-Type", "application/xml; charset=utf-8");
  return res;
}

Response StreamedMultistatus(std::unique_ptr<proto::http::BodySource> body) {
  Response res;
  res.status = 207;
  res.headers.Set("Content-Type", "application/xml; charset=utf-8");
  res.stream = std::move(body);
  res.stream_length = Response::kUnknownLength;
  return res;
}

std::string StatusLine(int status) {
  return "HTTP/1.1 " + std::to_string(status) + " " + proto::http::ReasonPhrase(status);
}

void AppendHref(std::string& out, std::string_view href) {
  out.append("<d:href>");
  AppendEscaped(out, href);
  out.append("</d:href>");
}

void AppendStatusResponse(std::string& out, std::string_view href, int status) {
  out.append("<d:response>");
  AppendHref(out, href);
  out.append("<d:status>").append(StatusLine(status)).append("</d:status></d:response>");
}

Response ProppatchMultistatus(std::string_view href,
                              const std::vector<std::pair<QName, int>>& results,
                              bool protected_refused) {
  std::string body(kMultistatusOpen);
  body.append("<d:response>");
  AppendHref(body, href);
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

void AppendPropstat(std::string& out, std::string_view props, int status) {
  if (props.empty()) return;
  out.append("<d:propstat><d:prop>").append(props).append("</d:prop><d:status>");
  out.append(StatusLine(status)).append("</d:status></d:propstat>");
}

void AppendEmptyElement(std::string& out, const QName& name) {
  AppendStart(out, name);
  out.append("/>");
}

void AppendOpen(std::string& out, const QName& name) {
  AppendStart(out, name);
  out.push_back('>');
}

void AppendClose(std::string& out, const QName& name) {
  if (name.ns == kDav) {
    out.append("</d:").append(name.name).append(">");
  } else if (name.ns.empty()) {
    out.append("</").append(name.name).append(">");
  } else {
    out.append("</x:").append(name.name).append(">");
  }
}

}  // namespace regie::frontend::dav
