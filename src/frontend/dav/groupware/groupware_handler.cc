#include "base/uri.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/groupware/groupware_request.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

constexpr const char* kAllow =
    "OPTIONS, GET, HEAD, POST, PUT, DELETE, MKCOL, MKCALENDAR, PROPFIND, PROPPATCH, REPORT";

Reply Options(bool calendars) {
  Response res;
  res.status = 200;
  // RFC 4791 §5.1 and RFC 6352 §6.1: the compliance classes clients look for.
  res.headers.Set("DAV", calendars ? "1, 3, extended-mkcol, calendar-access"
                                   : "1, 3, extended-mkcol, addressbook");
  res.headers.Set("Allow", kAllow);
  return res;
}

// The decoded path of `href`: an absolute URI loses its scheme and authority.
std::optional<std::string> PathOf(std::string_view href) {
  if (const auto scheme = href.find("://"); scheme != std::string_view::npos) {
    const auto slash = href.find('/', scheme + 3);
    if (slash == std::string_view::npos) return std::nullopt;
    href = href.substr(slash);
  }
  auto decoded = PercentDecode(href);
  if (!decoded) return std::nullopt;
  return std::move(*decoded);
}

}  // namespace

std::string GroupwareRequest::HomeHref() const {
  return match.href_prefix + "/" + PercentEncodeSegment(target.owner.login) + "/";
}

std::string GroupwareRequest::CollectionHref(std::string_view collection) const {
  return HomeHref() + PercentEncodeSegment(collection) + "/";
}

std::string GroupwareRequest::ObjectHref(std::string_view collection,
                                         std::string_view object) const {
  return CollectionHref(collection) + PercentEncodeSegment(object);
}

std::optional<std::string> GroupwareRequest::ObjectNameOf(std::string_view href) const {
  auto path = PathOf(href);
  auto base = PercentDecode(CollectionHref(target.collection_name));
  if (!path || !base || !path->starts_with(*base)) return std::nullopt;
  std::string name = path->substr(base->size());
  if (name.empty() || name.find('/') != std::string::npos) return std::nullopt;
  return name;
}

Response GroupwareError(const GroupwareRequest& req, Error error) {
  if (!error.condition_href.empty() && req.target.collection) {
    error.condition_href = req.ObjectHref(req.target.collection_name, error.condition_href);
  }
  return DavError(error);
}

GroupwareDavHandler::GroupwareDavHandler(std::shared_ptr<service::GroupwareService> service,
                                         model::CollectionKind kind, GroupwareOptions options)
    : service_(std::move(service)), kind_(kind), options_(options) {}

Reply GroupwareDavHandler::Handle(proto::http::Request& request, const service::Caller& caller,
                                  http::RouteMatch match) {
  const bool calendars = kind_ == model::CollectionKind::kCalendar;
  if (request.method == "OPTIONS") return Options(calendars);
  if (match.segments.empty()) {
    return DavError(MakeError(Errc::kNotFound, "home route without a login", "not found"));
  }
  // Resolving reads the store (and makes the homes on first use): on the blocking pool.
  return proto::http::BlockingStep([this, &request, caller, match = std::move(match)]() -> Reply {
    const std::string login = match.segments.front();
    auto target =
        service_->Resolve(caller, kind_, login, {match.segments.begin() + 1, match.segments.end()});
    if (!target) return DavError(target.error());
    auto req = std::make_shared<GroupwareRequest>(GroupwareRequest{
        .http = request,
        .caller = caller,
        .match = match,
        .target = std::move(*target),
        .service = *service_,
        .options = options_,
    });
    const std::string& method = request.method;
    if (method == "GET" || method == "HEAD") return HandleGroupwareGet(std::move(req));
    if (method == "PROPFIND") return HandleGroupwarePropfind(std::move(req));
    if (method == "REPORT") return HandleGroupwareReport(std::move(req));
    if (method == "PUT") return HandleGroupwarePut(std::move(req));
    if (method == "DELETE") return HandleGroupwareDelete(std::move(req));
    if (method == "MKCALENDAR" || method == "MKCOL") return HandleGroupwareMkcol(std::move(req));
    if (method == "PROPPATCH") return HandleGroupwareProppatch(std::move(req));
    if (method == "POST") return HandleGroupwarePost(std::move(req));
    Response res = Response::Text(405, "method not allowed");
    res.headers.Set("Allow", kAllow);
    return res;
  });
}

Reply PublishedCalendarHandler::Handle(proto::http::Request& request,
                                       const service::Caller& /*caller*/, http::RouteMatch match) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response res = Response::Text(405, "method not allowed");
    res.headers.Set("Allow", "GET, HEAD");
    return res;
  }
  if (match.segments.size() != 1 || !match.segments[0].ends_with(".ics")) {
    return DavError(MakeError(Errc::kNotFound, "malformed publication path", "not found"));
  }
  std::string token = match.segments[0];
  token.resize(token.size() - 4);
  return proto::http::BlockingStep([this, &request, token]() -> Reply {
    auto text = service_->ExportPublished(token);
    if (!text) return DavError(text.error());
    Response res;
    res.status = 200;
    res.headers.Set("Content-Type", "text/calendar; charset=utf-8");
    res.body = std::move(*text);
    res.omit_body = request.method == "HEAD";
    return res;
  });
}

}  // namespace regie::frontend::dav
