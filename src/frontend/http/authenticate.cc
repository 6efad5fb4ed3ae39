#include "frontend/http/authenticate.h"

#include <span>

#include "base/crypto.h"
#include "frontend/http/error_response.h"
#include "proto/http/conditional.h"
#include "proto/http/cookie.h"

namespace regie::frontend::http {

using proto::http::Reply;
using proto::http::Response;

namespace {

bool SameSecret(std::string_view sent, std::string_view expected) {
  if (sent.size() != expected.size()) return false;
  const auto bytes = [](std::string_view s) {
    return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  return ConstantTimeEqual(bytes(sent), bytes(expected));
}

Reply WithSession(proto::http::Request& request, service::SessionService& sessions,
                  std::string secret, AuthedHandler next) {
  return proto::http::BlockingStep(
      [&request, &sessions, secret = std::move(secret), next = std::move(next)]() -> Reply {
        auto caller = sessions.Resume(secret);
        if (!caller) return ErrorResponse(caller.error());
        if (!IsSafeMethod(request.method) && !CarriesCsrfToken(request, *caller->session)) {
          return CsrfRefusal();
        }
        request.user = caller->principal.login;
        return next(*caller);
      });
}

Reply WithBasic(proto::http::Request& request, service::AuthService& auth, const AuthPolicy& policy,
                AuthedHandler next) {
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

}  // namespace

bool IsSafeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PROPFIND" ||
         method == "REPORT";
}

bool CarriesCsrfToken(const proto::http::Request& request, const model::Session& session) {
  const auto sent = request.headers.Get("X-CSRF-Token");
  return sent && SameSecret(*sent, session.csrf);
}

Response CsrfRefusal() {
  Response res;
  res.status = 403;
  res.body = R"({"error":"csrf","detail":"missing or wrong X-CSRF-Token"})";
  res.headers.Set("Content-Type", "application/json");
  return res;
}

Reply Authenticate(proto::http::Request& request, const Authenticators& with,
                   const AuthPolicy& policy, AuthedHandler next) {
  // Basic credentials win: a script that sends them means them, whatever cookies it carries.
  if (with.sessions != nullptr && !request.headers.Has("Authorization")) {
    if (auto secret = proto::http::FindCookie(request.headers, kSessionCookie)) {
      return WithSession(request, *with.sessions, std::move(*secret), std::move(next));
    }
  }
  return WithBasic(request, *with.passwords, policy, std::move(next));
}

}  // namespace regie::frontend::http
