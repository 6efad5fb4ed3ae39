// Authentication in front of every protected route, by HTTP Basic (every DAV client) or by the
// web workplace's session cookie:
// - Basic: 401 before any lookup when credentials are missing or wrong, 429 when throttled, and
//   password hashing on the blocking pool when the login cache cannot vouch for them.
// - Session cookie (when no Authorization header is sent): the session is resumed on the
//   blocking pool; a state-changing request must also carry the session's CSRF token in
//   X-CSRF-Token (403 {"error":"csrf"} without it), since a browser sends the cookie with
//   requests that other sites make it send.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "proto/http/handler.h"
#include "service/auth_service.h"
#include "service/session_service.h"

namespace regie::frontend::http {

inline constexpr std::string_view kSessionCookie = "regie_session";

struct AuthPolicy {
  bool allow_basic_over_http = false;  // From non-loopback peers without TLS.
};

// Proves callers. `sessions` may be null: then only Basic credentials count.
struct Authenticators {
  service::AuthService* passwords = nullptr;
  service::SessionService* sessions = nullptr;
};

// What runs once the caller is known. It may run on an I/O thread or on the blocking pool.
using AuthedHandler = std::function<proto::http::Reply(const service::Caller&)>;

proto::http::Reply Authenticate(proto::http::Request& request, const Authenticators& with,
                                const AuthPolicy& policy, AuthedHandler next);

// Methods that change nothing (RFC 9110 §9.2.1, and WebDAV's PROPFIND and REPORT): they need no
// CSRF token.
bool IsSafeMethod(std::string_view method);

// Whether `request` carries `session`'s CSRF token in X-CSRF-Token (compared in constant time).
bool CarriesCsrfToken(const proto::http::Request& request, const model::Session& session);

// The 403 for a cookie-authenticated change without the session's CSRF token.
proto::http::Response CsrfRefusal();

}  // namespace regie::frontend::http
