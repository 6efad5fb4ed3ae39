#include "frontend/dav/file_dav_handler.h"

#include "frontend/dav/dav_response.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

constexpr const char* kAllow =
    "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK, REPORT";

Reply Options() {
  Response res;
  res.status = 200;
  res.headers.Set("DAV", "1, 2, 3");
  res.headers.Set("Allow", kAllow);
  res.headers.Set("MS-Author-Via", "DAV");  // Windows and Office pick WebDAV over FrontPage.
  return res;
}

}  // namespace

FileDavHandler::FileDavHandler(std::shared_ptr<service::FileService> files,
                               std::shared_ptr<service::LockService> locks, DavOptions options,
                               std::vector<std::vector<std::string>> prefixes)
    : files_(std::move(files)),
      locks_(std::move(locks)),
      options_(options),
      prefixes_(std::move(prefixes)) {}

Reply FileDavHandler::Handle(proto::http::Request& request, const service::Caller& caller,
                             http::RouteMatch match) {
  if (request.method == "OPTIONS") return Options();
  if (match.segments.empty()) {
    return DavError(MakeError(Errc::kNotFound, "file route without a login", "not found"));
  }
  const std::string login = match.segments.front();
  // Only a GET sends a small file's bytes; every other method would read them for nothing.
  auto target = files_->Resolve(
      caller, login, {match.segments.begin() + 1, match.segments.end()},
      request.method == "GET" ? service::InlineBytes::kRead : service::InlineBytes::kSkip);
  if (!target) return DavError(target.error());
  auto req = std::make_shared<FileRequest>(FileRequest{
      .http = request,
      .caller = caller,
      .match = std::move(match),
      .target = std::move(*target),
      .files = *files_,
      .locks = *locks_,
      .options = options_,
      .prefixes = prefixes_,
  });
  const std::string& method = request.method;
  if (method == "GET" || method == "HEAD") return HandleGet(std::move(req));
  if (method == "PUT") return HandlePut(std::move(req));
  if (method == "DELETE") return HandleDelete(std::move(req));
  if (method == "MKCOL") return HandleMkcol(std::move(req));
  if (method == "COPY" || method == "MOVE") return HandleCopyMove(std::move(req));
  if (method == "PROPFIND") return HandlePropfind(std::move(req));
  if (method == "PROPPATCH") return HandleProppatch(std::move(req));
  if (method == "LOCK") return HandleLock(std::move(req));
  if (method == "UNLOCK") return HandleUnlock(std::move(req));
  if (method == "REPORT") return HandleReport(std::move(req));
  Response res = Response::Text(405, "method not allowed");
  res.headers.Set("Allow", kAllow);
  return res;
}

}  // namespace regie::frontend::dav
