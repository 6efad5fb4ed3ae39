// GET, HEAD, PUT and DELETE of files under /dav/files/<login>/ (and the Nextcloud alias
// /remote.php/dav/files/<login>/). The full WebDAV method set joins here later.
#pragma once

#include <string>
#include <vector>

#include "proto/http/handler.h"
#include "service/auth_service.h"
#include "service/file_service.h"

namespace regie::frontend::http {

struct FilePath {
  std::string owner;                  // The login in the URL.
  std::vector<std::string> segments;  // Decoded path below the owner's root.
};

proto::http::Reply HandleFileRequest(proto::http::Request& request, const service::Caller& caller,
                                     const FilePath& path, service::FileService& files);

}  // namespace regie::frontend::http
