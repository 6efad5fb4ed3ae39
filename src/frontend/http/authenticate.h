// HTTP Basic authentication in front of every protected route: 401 with WWW-Authenticate before
// any lookup when credentials are missing or wrong, 429 when throttled, and password hashing on
// the blocking pool when the login cache cannot vouch for the credentials.
#pragma once

#include <functional>
#include <memory>

#include "proto/http/handler.h"
#include "service/auth_service.h"

namespace regie::frontend::http {

struct AuthPolicy {
  bool allow_basic_over_http = false;  // From non-loopback peers without TLS.
};

// What runs once the caller is known. It may run on an I/O thread or on the blocking pool.
using AuthedHandler = std::function<proto::http::Reply(const service::Caller&)>;

proto::http::Reply Authenticate(proto::http::Request& request, service::AuthService& auth,
                                const AuthPolicy& policy, AuthedHandler next);

}  // namespace regie::frontend::http
