// /api/v1/password, /api/v1/app-passwords and /api/v1/mobileconfig: the signed-in account's own
// credentials and device set-up. Administration is in admin_api.cc.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "base/uri.h"
#include "frontend/web/api_handlers.h"
#include "frontend/web/json_api.h"
#include "proto/webapi/mobileconfig.h"

namespace regie::frontend::web {

using proto::http::Reply;
using proto::http::Response;

namespace {

Reply ChangePassword(proto::http::Request& request, const service::Caller& caller,
                     const ApiServices& services) {
  return WithJsonBody(request, [&request, caller, services](const boost::json::object& body) {
    auto current = proto::webapi::RequiredString(body, "current");
    if (!current) return ApiError(current.error());
    auto replacement = proto::webapi::RequiredString(body, "new");
    if (!replacement) return ApiError(replacement.error());
    auto changed =
        services.sessions->ChangePassword(caller, *current, *replacement, request.client_address);
    if (!changed) return ApiError(changed.error());
    return NoContent();
  });
}

Reply AppPasswords(proto::http::Request& request, const service::Caller& caller,
                   const ApiServices& services, const std::vector<std::string>& rest) {
  const std::string& login = caller.principal.login;
  if (rest.size() == 1) {
    if (request.method != "DELETE") return MethodNotAllowed("DELETE");
    return proto::http::BlockingStep([login, label = rest[0], services]() -> Reply {
      if (auto revoked = services.accounts->RevokeAppPassword(login, label); !revoked) {
        return ApiError(revoked.error());
      }
      return NoContent();
    });
  }
  if (request.method == "GET") {
    return proto::http::BlockingStep([login, services]() -> Reply {
      auto listed = services.accounts->ListAppPasswords(login);
      if (!listed) return ApiError(listed.error());
      boost::json::array out;
      for (const auto& app : *listed) {
        out.push_back(boost::json::object{{"label", app.label}, {"created", app.created}});
      }
      return JsonResponse(200, out);
    });
  }
  if (request.method != "POST") return MethodNotAllowed("GET, POST");
  return WithJsonBody(request, [login, services](const boost::json::object& body) {
    auto label = proto::webapi::RequiredString(body, "label");
    if (!label) return ApiError(label.error());
    auto password = services.accounts->AddAppPassword(login, *label);
    if (!password) return ApiError(password.error());
    return JsonResponse(201, boost::json::object{{"label", *label}, {"password", *password}});
  });
}

Response Mobileconfig(const proto::http::Request& request, const service::Caller& caller) {
  proto::webapi::ProfileTarget target{
      .tls = request.secure,
      .login = caller.principal.login,
      .principal_path = "/dav/principals/" + PercentEncodeSegment(caller.principal.login) + "/",
      .display_name = "Regie " + caller.org.name,
  };
  proto::webapi::SetHostAndPort(target, request.host);
  Response res;
  res.body = proto::webapi::RenderMobileconfig(target);
  res.headers.Set("Content-Type", "application/x-apple-aspen-config");
  res.headers.Set("Content-Disposition", "attachment; filename=\"regie.mobileconfig\"");
  res.headers.Set("Cache-Control", "no-store");
  return res;
}

}  // namespace

Reply AccountApiHandler::Handle(proto::http::Request& request, const service::Caller& caller,
                                http::RouteMatch match) {
  const auto& segments = match.segments;
  if (segments.empty()) return ApiError(MakeError(Errc::kNotFound, "api root", "not found"));
  if (segments[0] == "admin") return HandleAdmin(request, caller, match);
  // A Basic caller may come from the login cache: check it is still who it was (disabled,
  // password changed) before acting on its account. A session was resumed from the store just
  // now, with these checks.
  auto current = caller.session ? Result<service::Caller>(caller) : services_.auth->Confirm(caller);
  if (!current) return ApiError(current.error());
  const std::vector<std::string> rest(segments.begin() + 1, segments.end());
  if (segments[0] == "password" && rest.empty()) {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return ChangePassword(request, *current, services_);
  }
  if (segments[0] == "app-passwords" && rest.size() <= 1) {
    return AppPasswords(request, *current, services_, rest);
  }
  if (segments[0] == "mobileconfig" && rest.empty()) {
    if (request.method != "GET" && request.method != "HEAD") return MethodNotAllowed("GET, HEAD");
    return Mobileconfig(request, *current);
  }
  return ApiError(MakeError(Errc::kNotFound, "unknown api path", "not found"));
}

}  // namespace regie::frontend::web
