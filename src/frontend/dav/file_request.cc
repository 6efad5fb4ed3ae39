#include "frontend/dav/file_request.h"

#include <algorithm>
#include <cctype>

#include "base/uri.h"
#include "proto/dav/dav_headers.h"

namespace regie::frontend::dav {

std::string FileRequest::HrefOf(const std::vector<std::string>& path, HrefKind kind) const {
  std::string href = match.href_prefix;
  href.push_back('/');
  href.append(PercentEncodeSegment(owner_login()));
  for (const auto& segment : path) {
    href.push_back('/');
    href.append(PercentEncodeSegment(segment));
  }
  if (kind == HrefKind::kCollection) href.push_back('/');
  return href;
}

std::string FileRequest::Href() const {
  return HrefOf(path(), target.folder ? HrefKind::kCollection : HrefKind::kMember);
}

std::string FileRequest::LockPath(const std::vector<std::string>& segments) const {
  std::string key = owner_login();
  for (const auto& segment : segments) key.append("/").append(segment);
  return key;
}

Result<std::vector<std::string>> PathOfUrl(const FileRequest& req, std::string_view url) {
  auto parsed = proto::dav::ParseDestination(url);
  if (!parsed) return Fail(parsed.error());
  if (!parsed->authority.empty()) {
    // RFC 4918 §9.8.5: a destination on another server is 502. The Host header (or a trusted
    // proxy's X-Forwarded-Host) names this one.
    const std::string_view host = req.http.host;
    if (host.empty() || !std::equal(host.begin(), host.end(), parsed->authority.begin(),
                                    parsed->authority.end(), [](char a, char b) {
                                      return std::tolower(static_cast<unsigned char>(a)) ==
                                             std::tolower(static_cast<unsigned char>(b));
                                    })) {
      return Fail(Errc::kOtherServer, "destination on " + parsed->authority,
                  "the destination is on another server");
    }
  }
  auto segments = SplitPath(parsed->path);
  if (!segments) return Fail(segments.error());
  for (const auto& prefix : req.prefixes) {
    if (segments->size() <= prefix.size() ||
        !std::equal(prefix.begin(), prefix.end(), segments->begin())) {
      continue;
    }
    if ((*segments)[prefix.size()] != req.owner_login()) break;
    return std::vector<std::string>(
        segments->begin() + static_cast<std::ptrdiff_t>(prefix.size()) + 1, segments->end());
  }
  return Fail(Errc::kForbidden, "destination outside the tree",
              "the destination is not in this tree");
}

}  // namespace regie::frontend::dav
