#include "frontend/http/http_frontend.h"

#include <algorithm>
#include <utility>

#include "base/uri.h"
#include "frontend/http/error_response.h"
#include "net/http_metrics.h"
#include "proto/http/cookie.h"

namespace regie::frontend::http {

using proto::http::Reply;
using proto::http::Request;
using proto::http::Response;

namespace {

// The first `count` non-empty segments of the raw path, as sent ("/a//b/c", 2 → "/a//b").
std::string RawPrefix(std::string_view path, std::size_t count) {
  std::size_t pos = 0;
  while (count > 0 && pos < path.size()) {
    while (pos < path.size() && path[pos] == '/') ++pos;
    while (pos < path.size() && path[pos] != '/') ++pos;
    --count;
  }
  return std::string(path.substr(0, pos));
}

// What every response gets, whichever handler made it and however late (after a blocking step
// or a streamed upload).
class ResponseFinisher {
 public:
  explicit ResponseFinisher(const Request& request)
      : web_app_(request.headers.Has("X-Requested-With") ||
                 proto::http::FindCookie(request.headers, kSessionCookie).has_value()),
        api_(request.path.starts_with("/api/")) {}

  void operator()(Response& res) const {
    res.headers.Set("X-Content-Type-Options", "nosniff");
    if (res.status == 401 && web_app_) res.headers.Remove("WWW-Authenticate");
    // docs/api.md: the API's errors are JSON, also those made before a route was chosen or
    // by authentication, which know nothing of the API.
    const auto type = res.headers.Get("Content-Type");
    if (api_ && res.status >= 400 && type && type->starts_with("text/plain")) {
      res.body = JsonError(res.status, res.body);
      res.headers.Set("Content-Type", "application/json");
    }
  }

 private:
  bool web_app_;
  bool api_;
};

class FinishingSink final : public proto::http::UploadSink {
 public:
  FinishingSink(ResponseFinisher finisher, std::unique_ptr<proto::http::UploadSink> inner)
      : finisher_(finisher), inner_(std::move(inner)) {}
  bool Write(std::span<const char> data) override { return inner_->Write(data); }
  Response Finish() override {
    Response res = inner_->Finish();
    finisher_(res);
    return res;
  }

 private:
  ResponseFinisher finisher_;
  std::unique_ptr<proto::http::UploadSink> inner_;
};

Reply Finish(const ResponseFinisher& finisher, Reply reply) {
  if (auto* res = std::get_if<Response>(&reply.next)) {
    finisher(*res);
    return reply;
  }
  if (auto* step = std::get_if<proto::http::BlockingStep>(&reply.next)) {
    return proto::http::BlockingStep(
        [finisher, step = std::move(*step)]() -> Reply { return Finish(finisher, step()); });
  }
  auto& sink = std::get<std::unique_ptr<proto::http::UploadSink>>(reply.next);
  return std::unique_ptr<proto::http::UploadSink>(
      std::make_unique<FinishingSink>(finisher, std::move(sink)));
}

}  // namespace

HttpFrontend::HttpFrontend(FrontendOptions options, std::shared_ptr<service::AuthService> auth,
                           std::shared_ptr<service::SessionService> sessions)
    : options_(std::move(options)), auth_(std::move(auth)), sessions_(std::move(sessions)) {}

void HttpFrontend::AddRoute(Route route) {
  routes_.push_back(std::move(route));
  // Longest prefix first, so that a more specific route wins.
  std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
    return a.prefix.size() > b.prefix.size();
  });
}

Reply HttpFrontend::HandleOperational(const Request& request) {
  // Health and metrics need no credentials, so they stay on loopback unless configured.
  if (!request.peer_is_loopback && !options_.metrics_public) {
    return ErrorResponse(
        MakeError(Errc::kNotFound, "operational endpoint from remote peer", "not found"));
  }
  if (request.path == "/healthz") return Response::Text(200, "ok");
  if (request.path == "/readyz") {
    return draining_ ? Response::Text(503, "draining") : Response::Text(200, "ready");
  }
  std::string metrics = net::GlobalHttpMetrics().RenderPrometheus();
  if (options_.extra_metrics) metrics += options_.extra_metrics();
  Response res = Response::Text(200, std::move(metrics));
  res.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  return res;
}

Reply HttpFrontend::Handle(Request& request) {
  return Finish(ResponseFinisher(request), Dispatch(request));
}

Reply HttpFrontend::Dispatch(Request& request) {
  if (request.path == "/healthz" || request.path == "/readyz" || request.path == "/metrics") {
    return HandleOperational(request);
  }
  if (request.path == "/.well-known/caldav" || request.path == "/.well-known/carddav") {
    // RFC 6764 §5: the context path where CalDAV and CardDAV discovery continues, before any
    // credentials are asked for.
    Response res;
    res.status = 301;
    res.headers.Set("Location", "/dav/");
    return res;
  }
  auto segments = SplitPath(request.path);
  if (!segments) return ErrorResponse(segments.error());
  const auto route = std::find_if(routes_.begin(), routes_.end(), [&](const Route& r) {
    return segments->size() >= r.prefix.size() &&
           std::equal(r.prefix.begin(), r.prefix.end(), segments->begin());
  });
  if (route == routes_.end()) {
    return ErrorResponse(MakeError(Errc::kNotFound, "no route for path", "not found"));
  }
  RouteMatch match{
      .href_prefix = RawPrefix(request.path, route->prefix.size()),
      .segments = {segments->begin() + static_cast<std::ptrdiff_t>(route->prefix.size()),
                   segments->end()},
      .trailing_slash = !request.path.empty() && request.path.back() == '/',
  };
  if (route->access == RouteAccess::kPublic) {
    return route->handler->Handle(request, service::Caller{}, std::move(match));
  }
  return Authenticate(request, {auth_.get(), sessions_.get()}, options_.auth,
                      [&request, handler = route->handler.get(),
                       match = std::move(match)](const service::Caller& caller) mutable {
                        return handler->Handle(request, caller, std::move(match));
                      });
}

}  // namespace regie::frontend::http
