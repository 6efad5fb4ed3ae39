#include "frontend/dav/principal_dav.h"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>

#include "base/uri.h"
#include "formats/xml/xml_element.h"
#include "frontend/dav/dav_response.h"
#include "frontend/http/request_body.h"
#include "proto/dav/dav_headers.h"
#include "proto/dav/dav_requests.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

constexpr std::string_view kCalDav = "urn:ietf:params:xml:ns:caldav";
constexpr std::string_view kCardDav = "urn:ietf:params:xml:ns:carddav";

struct PrincipalProperty {
  std::string_view ns;
  std::string_view name;
};

constexpr std::array<PrincipalProperty, 8> kProperties{{
    {"DAV:", "resourcetype"},
    {"DAV:", "displayname"},
    {"DAV:", "principal-URL"},
    {"DAV:", "current-user-principal"},
    {"DAV:", "principal-collection-set"},
    {kCalDav, "calendar-home-set"},
    {kCalDav, "calendar-user-address-set"},
    {kCardDav, "addressbook-home-set"},
}};

// Where a principal's hrefs point.
struct PrincipalHrefs {
  std::string self;        // /dav/principals/<login>/
  std::string collection;  // /dav/principals/
  std::string login;       // Percent-encoded.
  // Set when describing /dav/ itself, where clients start discovery: it points at the
  // principal and the homes but is a plain collection.
  std::optional<std::string> root;
};

void AppendHrefProperty(std::string& out, std::string_view element, std::string_view href) {
  out.append("<").append(element).append(">");
  AppendHref(out, href);
  out.append("</").append(element).append(">");
}

// Whether `name` is a property that /dav/ itself (hrefs.root) or a principal has.
bool Describes(const QName& name, const PrincipalHrefs& hrefs) {
  if (name.ns == kCalDav || name.ns == kCardDav) return true;
  if (name.ns != "DAV:") return false;
  return !hrefs.root || name.name == "resourcetype" || name.name == "current-user-principal" ||
         name.name == "principal-collection-set";
}

// Appends the value of property `name`; false when the principal has no such property.
bool AppendProperty(std::string& out, const QName& name, const model::Principal& principal,
                    const PrincipalHrefs& hrefs) {
  if (!Describes(name, hrefs)) return false;
  const std::string_view local = name.name;
  if (name.ns == kCalDav && local == "calendar-home-set") {
    AppendHrefProperty(out, "C:calendar-home-set", "/dav/calendars/" + hrefs.login + "/");
  } else if (name.ns == kCardDav && local == "addressbook-home-set") {
    AppendHrefProperty(out, "CR:addressbook-home-set", "/dav/addressbooks/" + hrefs.login + "/");
  } else if (name.ns == kCalDav && local == "calendar-user-address-set") {
    // RFC 6638 §2.4.1: the addresses scheduling knows the user by (its mailto:, then itself).
    out.append("<C:calendar-user-address-set>");
    if (!principal.email.empty()) AppendHref(out, "mailto:" + principal.email);
    AppendHref(out, hrefs.self);
    out.append("</C:calendar-user-address-set>");
  } else if (name.ns == "DAV:" && local == "resourcetype") {
    out.append(hrefs.root ? "<d:resourcetype><d:collection/></d:resourcetype>"
                          : "<d:resourcetype><d:collection/><d:principal/></d:resourcetype>");
  } else if (name.ns == "DAV:" && local == "displayname") {
    out.append("<d:displayname>");
    formats::xml::AppendEscaped(
        out, principal.display_name.empty() ? principal.login : principal.display_name);
    out.append("</d:displayname>");
  } else if (name.ns == "DAV:" && (local == "principal-URL" || local == "current-user-principal")) {
    AppendHrefProperty(out, "d:" + std::string(local), hrefs.self);
  } else if (name.ns == "DAV:" && local == "principal-collection-set") {
    AppendHrefProperty(out, "d:principal-collection-set", hrefs.collection);
  } else {
    return false;
  }
  return true;
}

Response Describe(const proto::dav::PropfindRequest& propfind, const model::Principal& principal,
                  const PrincipalHrefs& hrefs) {
  std::string found;
  std::string missing;
  if (propfind.kind == proto::dav::PropfindKind::kProp) {
    for (const auto& name : propfind.props) {
      if (!AppendProperty(found, name, principal, hrefs)) AppendEmptyElement(missing, name);
    }
  } else {
    for (const auto& property : kProperties) {
      const QName name{std::string(property.ns), std::string(property.name)};
      if (propfind.kind == proto::dav::PropfindKind::kPropname) {
        AppendEmptyElement(found, name);
      } else {
        AppendProperty(found, name, principal, hrefs);
      }
    }
  }
  std::string body(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\" "
      "xmlns:C=\"urn:ietf:params:xml:ns:caldav\" xmlns:CR=\"urn:ietf:params:xml:ns:carddav\">");
  body.append("<d:response>");
  AppendHref(body, hrefs.root.value_or(hrefs.self));
  AppendPropstat(body, found, 200);
  AppendPropstat(body, missing, 404);
  body.append("</d:response>").append(kMultistatusClose);
  return XmlResponse(207, std::move(body));
}

}  // namespace

Reply PrincipalDavHandler::Handle(proto::http::Request& request, const service::Caller& caller,
                                  http::RouteMatch match) {
  const bool root = mode_ == Mode::kDavRoot;
  // Only one's own principal exists for the caller: anyone else's is not found (docs/access.md).
  if (root ? !match.segments.empty()
           : match.segments.size() != 1 || match.segments.front() != caller.principal.login) {
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
  const std::string login = PercentEncodeSegment(caller.principal.login);
  PrincipalHrefs hrefs{
      .self = "/dav/principals/" + login + "/",
      .collection = "/dav/principals/",
      .login = login,
      .root = root ? std::optional<std::string>(match.href_prefix + "/") : std::nullopt};
  auto answer = [principal = caller.principal, hrefs,
                 limits = limits_](const std::string& body) -> Response {
    auto propfind = proto::dav::ParsePropfind(body, limits);
    if (!propfind) return DavError(propfind.error());
    return Describe(*propfind, principal, hrefs);
  };
  return http::WithBody(request, limits_.max_bytes, std::move(answer));
}

}  // namespace regie::frontend::dav
