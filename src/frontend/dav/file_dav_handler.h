// WebDAV on a user's file tree (/dav/files/<login>/…, and the Nextcloud alias): RFC 4918 classes
// 1, 2 and 3 and sync-collection (RFC 6578). Resolves the target, then hands the request to the
// method's handler (one file per method in this folder).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "frontend/dav/file_request.h"
#include "frontend/http/route.h"
#include "service/file_service.h"
#include "service/lock_service.h"

namespace regie::frontend::dav {

class FileDavHandler final : public http::RouteHandler {
 public:
  // `prefixes` are the decoded route prefixes this handler is registered under.
  FileDavHandler(std::shared_ptr<service::FileService> files,
                 std::shared_ptr<service::LockService> locks, DavOptions options,
                 std::vector<std::vector<std::string>> prefixes);

  proto::http::Reply Handle(proto::http::Request& request, const service::Caller& caller,
                            http::RouteMatch match) override;

 private:
  std::shared_ptr<service::FileService> files_;
  std::shared_ptr<service::LockService> locks_;
  DavOptions options_;
  std::vector<std::vector<std::string>> prefixes_;
};

// The method handlers. Each answers at once or returns blocking steps or an upload sink.
proto::http::Reply HandleGet(FileRequestPtr req);
proto::http::Reply HandlePut(FileRequestPtr req);
proto::http::Reply HandleDelete(FileRequestPtr req);
proto::http::Reply HandleMkcol(FileRequestPtr req);
proto::http::Reply HandleCopyMove(FileRequestPtr req);
proto::http::Reply HandlePropfind(FileRequestPtr req);
proto::http::Reply HandleProppatch(FileRequestPtr req);
proto::http::Reply HandleLock(FileRequestPtr req);
proto::http::Reply HandleUnlock(FileRequestPtr req);
proto::http::Reply HandleReport(FileRequestPtr req);
// GET and HEAD of <folder>/?download=zip (zip_download.cc).
proto::http::Reply HandleZipDownload(FileRequestPtr req);

}  // namespace regie::frontend::dav
