// The route table's contract: a handler for every request below a path prefix. The HTTP front end
// authenticates the caller, then hands the request to the handler of the longest matching
// prefix. app/ registers the routes, so the router knows no protocol and the isolation tests can
// enumerate every route (issue #6).
#pragma once

#include <string>
#include <vector>

#include "proto/http/handler.h"
#include "service/auth_service.h"

namespace regie::frontend::http {

struct RouteMatch {
  // The prefix as the request spelled it, percent-encoded, without a trailing slash
  // ("/remote.php/dav/files"): responses build their hrefs on it, so they keep the client's alias.
  std::string href_prefix;
  std::vector<std::string> segments;  // Decoded segments after the prefix.
  bool trailing_slash = false;        // The request path ended in '/'.
};

class RouteHandler {
 public:
  virtual ~RouteHandler() = default;
  // Called on an I/O thread or the blocking pool once the caller is authenticated; the same
  // contract as proto::http::Handler::Handle() otherwise.
  virtual proto::http::Reply Handle(proto::http::Request& request, const service::Caller& caller,
                                    RouteMatch match) = 0;
};

// Who may reach a route: authenticated callers, or anyone (a published calendar, whose URL
// carries its own secret token). A public handler gets an empty Caller.
enum class RouteAccess { kAuthenticated, kPublic };

struct Route {
  std::vector<std::string> prefix;  // Decoded segments, e.g. {"dav", "files"}.
  std::shared_ptr<RouteHandler> handler;
  RouteAccess access = RouteAccess::kAuthenticated;
};

}  // namespace regie::frontend::http
