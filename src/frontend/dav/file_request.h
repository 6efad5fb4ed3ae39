// The state every WebDAV method handler on a file tree shares: the HTTP request, the caller, the
// resolved target and how to spell hrefs. One file per method implements the handlers
// (get_put.cc, delete_mkcol.cc, copy_move.cc, propfind.cc, proppatch.cc, lock.cc, report.cc).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "formats/xml/xml_element.h"
#include "formats/zip/zip_writer.h"
#include "frontend/http/route.h"
#include "proto/http/handler.h"
#include "service/file_service.h"
#include "service/lock_service.h"

namespace regie::frontend::dav {

struct DavOptions {
  formats::xml::XmlLimits xml;  // Request bodies: size, depth, element count.
  bool allow_propfind_infinity = false;
  std::size_t propfind_page = 256;  // Members read per store query while a listing streams.
  std::size_t max_sync_results = 10'000;
  formats::zip::ZipLimits zip;  // GET <folder>/?download=zip: the archive index it may hold.
};

// How an href ends: a collection's with '/' (RFC 4918 §5.2).
enum class HrefKind { kMember, kCollection };

// One request on a file tree. Handlers share it through a shared_ptr, because their blocking
// steps and streamed bodies outlive the call that made them.
struct FileRequest {
  proto::http::Request& http;
  service::Caller caller;
  http::RouteMatch match;      // segments[0] is the owner's login.
  service::FileTarget target;  // What the path names.
  service::FileService& files;
  service::LockService& locks;
  const DavOptions& options;
  // The route prefixes of file trees (decoded), to resolve a Destination header.
  const std::vector<std::vector<std::string>>& prefixes;

  const std::string& owner_login() const { return match.segments.front(); }
  // Decoded segments below the owner's root.
  std::vector<std::string> path() const {
    return {match.segments.begin() + 1, match.segments.end()};
  }
  // The target's href: the request's prefix, the owner, the path, and '/' for a collection.
  std::string Href() const;
  std::string HrefOf(const std::vector<std::string>& path, HrefKind kind) const;
  // The lock-table key of a path in this tree ("<login>/<seg>/…", decoded).
  std::string LockPath(const std::vector<std::string>& path) const;
};

using FileRequestPtr = std::shared_ptr<FileRequest>;

}  // namespace regie::frontend::dav

namespace regie::frontend::dav {

// The path below the owner's root that `url` (an absolute URI or path, as in Destination and
// tagged If lists) names in the same tree. kOtherServer for another host's URI; kForbidden for
// another tree or a path outside the file routes.
Result<std::vector<std::string>> PathOfUrl(const FileRequest& req, std::string_view url);

}  // namespace regie::frontend::dav
