#include <boost/json/object.hpp>

#include "frontend/http/authenticate.h"
#include "frontend/web/api_handlers.h"
#include "frontend/web/json_api.h"
#include "proto/http/cookie.h"

namespace regie::frontend::web {

using proto::http::Reply;
using proto::http::Response;

namespace {

std::string SessionCookie(const proto::http::Request& request, std::string_view value,
                          std::optional<std::chrono::seconds> max_age) {
  return proto::http::FormatSetCookie(
      http::kSessionCookie, value,
      {.security = request.secure ? proto::http::CookieSecurity::kTlsOnly
                                  : proto::http::CookieSecurity::kAnyTransport,
       .max_age = max_age});
}

// 200 with the session object of docs/api.md; `caller` carries its session. Blocks (usage).
Response SessionResponse(service::AccountService& accounts, const service::Caller& caller) {
  auto used = accounts.UsedBytes(caller.principal.id);
  if (!used) return ApiError(used.error());
  const auto& p = caller.principal;
  return JsonResponse(200, boost::json::object{
                               {"user", p.login},
                               {"display_name", p.display_name},
                               {"email", p.email},
                               {"org", caller.org.name},
                               {"role", model::RoleName(p.role)},
                               {"csrf", caller.session ? caller.session->csrf : std::string()},
                               {"quota", p.quota},
                               {"used", *used},
                           });
}

}  // namespace

Reply SessionApiHandler::Handle(proto::http::Request& request, const service::Caller&,
                                http::RouteMatch match) {
  if (!match.segments.empty()) {
    return ApiError(MakeError(Errc::kNotFound, "below /api/v1/session", "not found"));
  }
  if (request.method == "POST") {
    return WithJsonBody(request, [&request, services = services_](const boost::json::object& body) {
      auto login = proto::webapi::RequiredString(body, "login");
      if (!login) return ApiError(login.error());
      auto password = proto::webapi::RequiredString(body, "password");
      if (!password) return ApiError(password.error());
      auto signed_in = services.sessions->SignIn(*login, *password, request.client_address);
      if (!signed_in) return ApiError(signed_in.error());
      request.user = *login;
      Response res = SessionResponse(*services.accounts, signed_in->caller);
      // No Max-Age: the cookie goes with the browser; the server ends the session itself.
      res.headers.Add("Set-Cookie", SessionCookie(request, signed_in->secret, std::nullopt));
      return res;
    });
  }
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (!get && request.method != "DELETE") {
    return MethodNotAllowed("GET, HEAD, POST, DELETE");
  }
  auto secret = proto::http::FindCookie(request.headers, http::kSessionCookie);
  return proto::http::BlockingStep(
      [&request, services = services_, get, secret = std::move(secret)]() -> Reply {
        auto caller = secret ? services.sessions->Resume(*secret)
                             : Result<service::Caller>(Fail(Errc::kUnauthenticated,
                                                            "no session cookie", "not signed in"));
        if (get) {
          if (!caller) return ApiError(caller.error());
          request.user = caller->principal.login;
          return SessionResponse(*services.accounts, *caller);
        }
        if (caller) {
          if (!http::CarriesCsrfToken(request, *caller->session)) return http::CsrfRefusal();
          if (auto out = services.sessions->SignOut(*secret); !out) return ApiError(out.error());
        }
        Response res = NoContent();
        res.headers.Add("Set-Cookie", SessionCookie(request, "", std::chrono::seconds(0)));
        return res;
      });
}

}  // namespace regie::frontend::web
