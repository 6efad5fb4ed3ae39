// The web workplace's built files (web/dist): /assets/* by name, a few top-level files
// (favicon), and index.html for every other path that no protocol reserves, so that the app's
// own routes (/files/..., /calendar) load it. Files are read once, at start-up, and served from
// memory (a few MiB), with a gzip variant when the build made one (NAME.gz) and the client takes
// it. Every page carries the security headers (a Content-Security-Policy without inline script,
// frame-ancestors, nosniff).
//
// Threads: Handle() is const after construction and runs on I/O threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "frontend/http/route.h"

namespace regie::frontend::web {

struct AppFile {
  std::string content{};
  std::optional<std::string> gzipped{};
  std::string content_type{};
  std::string etag{};
};

class AppAssetsHandler final : public http::RouteHandler {
 public:
  // Reads every file below `root`. A missing root or index.html is not fatal: the app's paths
  // then answer 503 saying the web workplace is not built. Other errors: kInternal.
  static Result<std::shared_ptr<AppAssetsHandler>> Load(const std::filesystem::path& root);

  proto::http::Reply Handle(proto::http::Request& request, const service::Caller& caller,
                            http::RouteMatch match) override;

  std::size_t file_count() const { return files_.size(); }
  bool has_app() const { return files_.contains("index.html"); }

  static constexpr std::uint64_t kMaxTotalBytes = 64ULL << 20;

 private:
  std::map<std::string, AppFile, std::less<>> files_;  // By path below the root, "assets/x.js".
};

// The security headers of every app page.
void SetPageSecurityHeaders(proto::http::Headers& headers);

}  // namespace regie::frontend::web
