// Building blocks of WebDAV responses: errors with their precondition element (RFC 4918 §16),
// XML bodies, and the pieces of a multistatus (§13).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "proto/dav/dav_headers.h"
#include "proto/http/message.h"

namespace regie::frontend::dav {

// The status for error.code; when error.condition is set, a DAV:error body naming it.
proto::http::Response DavError(const Error& error);
// The Depth of a PROPFIND (infinity when absent); RFC 4918 §9.1 lets a server refuse infinity,
// which it does unless `allow_infinity`: 403 with DAV:propfind-finite-depth.
Result<proto::dav::Depth> PropfindDepth(const proto::http::Headers& headers, bool allow_infinity);
// An application/xml response with `body`.
proto::http::Response XmlResponse(int status, std::string body);
// A 207 whose multistatus document `body` produces as it is sent (chunked).
proto::http::Response StreamedMultistatus(std::unique_ptr<proto::http::BodySource> body);

// The answer to a PROPPATCH of `href`: one propstat per status of `results` (name, status);
// a 403 carries DAV:cannot-modify-protected-property when `protected_refused`.
proto::http::Response ProppatchMultistatus(std::string_view href,
                                           const std::vector<std::pair<QName, int>>& results,
                                           bool protected_refused);

// "<?xml …?><d:multistatus xmlns:d=\"DAV:\">": the DAV namespace is "d" throughout a response.
inline constexpr std::string_view kMultistatusOpen =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\">";
inline constexpr std::string_view kMultistatusClose = "</d:multistatus>\n";

// "HTTP/1.1 404 Not Found".
std::string StatusLine(int status);
void AppendHref(std::string& out, std::string_view href);
// <d:response><d:href>…</d:href><d:status>…</d:status></d:response>
void AppendStatusResponse(std::string& out, std::string_view href, int status);
// <d:propstat><d:prop>props</d:prop><d:status>…</d:status></d:propstat>; nothing when `props`
// is empty.
void AppendPropstat(std::string& out, std::string_view props, int status);
// An empty element for `name`: "<d:x/>" in DAV:, else with its own namespace declaration.
void AppendEmptyElement(std::string& out, const QName& name);
void AppendOpen(std::string& out, const QName& name);
void AppendClose(std::string& out, const QName& name);

}  // namespace regie::frontend::dav
