// The checks every state-changing WebDAV method makes before it writes (RFC 4918 §10.4, §7):
// the If header must hold (else 412), and every lock on what the request changes must have
// its token submitted by its owner (else 423 with DAV:lock-token-submitted).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "frontend/dav/file_request.h"

namespace regie::frontend::dav {

// A path the request changes. `recursive`: everything below it changes too (DELETE or MOVE of
// a collection). `membership`: the request adds or removes the member `path`, which changes its
// parent collection too, so a depth-0 lock on the parent counts (RFC 4918 §7.4).
struct WriteScope {
  std::vector<std::string> path;
  bool recursive = false;
  bool membership = false;
};

// The If header's verdict alone (also for methods that do not write, such as LOCK refresh).
Result<void> EvaluateIf(const FileRequest& req);
// EvaluateIf, then the lock-token check for each scope.
Result<void> CheckWrite(const FileRequest& req, const std::vector<WriteScope>& scopes);
// The lock tokens the request submitted in its If header.
std::vector<std::string> SubmittedTokens(const FileRequest& req);

}  // namespace regie::frontend::dav
