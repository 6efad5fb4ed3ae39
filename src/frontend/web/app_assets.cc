#include "frontend/web/app_assets.h"

#include <array>
#include <fstream>
#include <sstream>

#include "base/crypto.h"
#include "formats/text/media_type.h"
#include "frontend/http/error_response.h"

namespace regie::frontend::web {

using proto::http::Reply;
using proto::http::Response;

namespace {

// Paths the protocols own (docs/api.md): a request there that no route took is a 404, never the
// app, so that a mistyped DAV or API URL is not answered with an HTML page and status 200.
constexpr std::array<std::string_view, 9> kReserved = {
    "dav", "remote.php", ".well-known", "api", "pub", "assets", "healthz", "readyz", "metrics"};

bool IsReserved(std::string_view first) {
  return std::find(kReserved.begin(), kReserved.end(), first) != kReserved.end();
}

Result<std::string> ReadWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  if (!in && !in.eof()) {
    return Fail(Errc::kInternal, "cannot read " + path.string(), "cannot read web assets");
  }
  return out.str();
}

bool AcceptsGzip(const proto::http::Request& request) {
  const auto accept = request.headers.Get("Accept-Encoding");
  return accept && accept->find("gzip") != std::string_view::npos;
}

Response Serve(const proto::http::Request& request, const AppFile& file,
               std::string_view cache_control) {
  Response res;
  if (const auto sent = request.headers.Get("If-None-Match"); sent && *sent == file.etag) {
    res.status = 304;
  } else if (file.gzipped && AcceptsGzip(request)) {
    res.body = *file.gzipped;
    res.headers.Set("Content-Encoding", "gzip");
  } else {
    res.body = file.content;
  }
  res.headers.Set("Content-Type", file.content_type);
  res.headers.Set("ETag", file.etag);
  res.headers.Set("Cache-Control", std::string(cache_control));
  if (file.gzipped) res.headers.Set("Vary", "Accept-Encoding");
  res.omit_body = request.method == "HEAD";
  return res;
}

}  // namespace

void SetPageSecurityHeaders(proto::http::Headers& headers) {
  // style-src allows inline styles: the calendar library sets element styles at run time.
  // frame-src and frame-ancestors 'self': previews show the user's PDFs in a frame of the app.
  headers.Set("Content-Security-Policy",
              "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; media-src 'self' blob:; frame-src 'self' blob:; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'self'");
  headers.Set("X-Frame-Options", "SAMEORIGIN");
  headers.Set("Referrer-Policy", "same-origin");
}

Result<std::shared_ptr<AppAssetsHandler>> AppAssetsHandler::Load(
    const std::filesystem::path& root) {
  auto handler = std::make_shared<AppAssetsHandler>();
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return handler;
  std::uint64_t total = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().lexically_relative(root).generic_string();
    if (name.ends_with(".gz")) continue;  // Read beside the file it compresses.
    auto content = ReadWhole(it->path());
    if (!content) return Fail(content.error());
    total += content->size();
    if (total > kMaxTotalBytes) {
      return Fail(Errc::kInternal, "web assets over 64 MiB in " + root.string(),
                  "the web assets are too large");
    }
    AppFile file{.content = std::move(*content),
                 .content_type = std::string(formats::text::MediaTypeForName(name))};
    file.etag = "\"" + ToHex(Sha256::Of(file.content)).substr(0, 32) + "\"";
    auto gz = it->path();
    gz += ".gz";
    if (std::filesystem::is_regular_file(gz, ec)) {
      auto packed = ReadWhole(gz);
      if (!packed) return Fail(packed.error());
      file.gzipped = std::move(*packed);
    }
    handler->files_.emplace(name, std::move(file));
  }
  if (ec) {
    return Fail(Errc::kInternal, "cannot list " + root.string() + ": " + ec.message(),
                "cannot read web assets");
  }
  return handler;
}

Reply AppAssetsHandler::Handle(proto::http::Request& request, const service::Caller&,
                               http::RouteMatch match) {
  const auto& segments = match.segments;
  if (!segments.empty() && IsReserved(segments[0]) && segments[0] != "assets") {
    return http::ErrorResponse(MakeError(Errc::kNotFound, "reserved path", "not found"));
  }
  if (request.method != "GET" && request.method != "HEAD") {
    Response res = http::ErrorResponse(
        MakeError(Errc::kMethodNotAllowed, "app page method", "method not allowed"));
    res.headers.Set("Allow", "GET, HEAD");
    return res;
  }
  std::string name;
  for (const auto& s : segments) name += (name.empty() ? "" : "/") + s;
  if (!segments.empty() && segments[0] == "assets") {
    const auto it = files_.find(name);
    if (it == files_.end()) {
      return http::ErrorResponse(MakeError(Errc::kNotFound, "no asset " + name, "not found"));
    }
    // Built asset names carry a hash of their content: they never change under one name.
    return Serve(request, it->second, "public, max-age=31536000, immutable");
  }
  if (segments.size() == 1 && name != "index.html") {
    if (const auto it = files_.find(name); it != files_.end()) {
      return Serve(request, it->second, "public, max-age=3600");
    }
  }
  const auto index = files_.find("index.html");
  if (index == files_.end()) {
    return Response::Text(503,
                          "The web workplace is not built. Run script/build (it builds web/ "
                          "with npm), or point [web] root at a built web/dist.\n");
  }
  Response res = Serve(request, index->second, "no-cache");
  SetPageSecurityHeaders(res.headers);
  return res;
}

}  // namespace regie::frontend::web
