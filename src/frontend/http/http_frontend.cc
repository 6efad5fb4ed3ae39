#include "frontend/http/http_frontend.h"

#include "base/uri.h"
#include "frontend/http/error_response.h"
#include "frontend/http/file_routes.h"
#include "net/http_metrics.h"

namespace regie::frontend::http {

using proto::http::Reply;
using proto::http::Request;
using proto::http::Response;

namespace {

// The URL prefixes of a file tree, as decoded segments; the next segment is the owner's login.
const std::vector<std::vector<std::string>>& FilePrefixes() {
  static const std::vector<std::vector<std::string>> prefixes{
      {"dav", "files"}, {"remote.php", "dav", "files"},  // What the Nextcloud clients use.
  };
  return prefixes;
}

std::optional<FilePath> MatchFilePath(const std::vector<std::string>& segments) {
  for (const auto& prefix : FilePrefixes()) {
    if (segments.size() <= prefix.size() ||
        !std::equal(prefix.begin(), prefix.end(), segments.begin())) {
      continue;
    }
    return FilePath{
        segments[prefix.size()],
        {segments.begin() + static_cast<std::ptrdiff_t>(prefix.size()) + 1, segments.end()}};
  }
  return std::nullopt;
}

}  // namespace

HttpFrontend::HttpFrontend(FrontendOptions options, std::shared_ptr<service::AuthService> auth,
                           std::shared_ptr<service::FileService> files)
    : options_(options), auth_(std::move(auth)), files_(std::move(files)) {}

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
  Response res = Response::Text(200, net::GlobalHttpMetrics().RenderPrometheus());
  res.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  return res;
}

Reply HttpFrontend::Handle(Request& request) {
  if (request.path == "/healthz" || request.path == "/readyz" || request.path == "/metrics") {
    return HandleOperational(request);
  }
  auto segments = SplitPath(request.path);
  if (!segments) return ErrorResponse(segments.error());
  auto file_path = MatchFilePath(*segments);
  if (!file_path) {
    return ErrorResponse(MakeError(Errc::kNotFound, "no route for path", "not found"));
  }
  return Authenticate(
      request, *auth_, options_.auth,
      [this, &request, path = std::move(*file_path)](const service::Caller& caller) {
        return HandleFileRequest(request, caller, path, *files_);
      });
}

}  // namespace regie::frontend::http
