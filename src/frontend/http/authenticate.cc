#include "frontend/http/authenticate.h"

#include "frontend/http/error_response.h"
#include "proto/http/conditional.h"

namespace regie::frontend::http {

using proto::http::Reply;
using proto::http::Response;

proto::http::Reply Authenticate(proto::http::Request& request, service::AuthService& auth,
                                const AuthPolicy& policy, AuthedHandler next) {
  auto credentials = proto::http::ParseBasicAuthorization(request.headers);
  if (!credentials || credentials->login.empty()) {
    return ErrorResponse(
        MakeError(Errc::kUnauthenticated, "no usable credentials", "authentication required"));
  }
  // A password sent in clear over a network is as good as published.
  if (!request.secure && !request.peer_is_loopback && !policy.allow_basic_over_http) {
    return ErrorResponse(MakeError(Errc::kForbidden, "basic auth over plain http refused",
                                   "use HTTPS: passwords are not accepted over plain HTTP"));
  }
  auto fast = auth.TryFast(credentials->login, credentials->password, request.client_address);
  if (!fast) return ErrorResponse(fast.error());
  if (*fast) {
    request.user = credentials->login;
    return next(**fast);
  }
  return proto::http::BlockingStep(
      [&request, &auth, creds = std::move(*credentials), next = std::move(next)]() -> Reply {
        auto caller = auth.Verify(creds.login, creds.password, request.client_address);
        if (!caller) return ErrorResponse(caller.error());
        request.user = creds.login;
        return next(*caller);
      });
}

}  // namespace regie::frontend::http
