// /api/v1/admin/...: organisations and users, for operators and organisation administrators.
// AdminService decides who may do what; this file only speaks JSON.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "frontend/web/api_handlers.h"
#include "frontend/web/json_api.h"
#include "proto/http/query.h"

namespace regie::frontend::web {

using proto::http::Reply;
using proto::http::Response;

namespace {

boost::json::object OrgJson(const service::OrgSummary& s) {
  boost::json::array domains;
  for (const auto& d : s.org.domains) domains.emplace_back(d);
  return {{"name", s.org.name},   {"domains", std::move(domains)},
          {"quota", s.org.quota}, {"used", s.used},
          {"users", s.users},     {"disabled", s.org.disabled}};
}

boost::json::object UserJson(const service::UserSummary& s) {
  const auto& u = s.user;
  return {{"login", u.login},
          {"org", s.org},
          {"role", model::RoleName(u.role)},
          {"display_name", u.display_name},
          {"email", u.email},
          {"quota", u.quota},
          {"used", s.used},
          {"disabled", u.disabled}};
}

Reply Orgs(proto::http::Request& request, const service::Caller& caller,
           const ApiServices& services) {
  if (request.method == "GET") {
    return proto::http::BlockingStep([caller, services]() -> Reply {
      auto orgs = services.admin->ListOrgs(caller);
      if (!orgs) return ApiError(orgs.error());
      boost::json::array out;
      for (const auto& org : *orgs) out.push_back(OrgJson(org));
      return JsonResponse(200, out);
    });
  }
  if (request.method != "POST") return MethodNotAllowed("GET, POST");
  return WithJsonBody(request, [caller, services](const boost::json::object& body) {
    auto name = proto::webapi::RequiredString(body, "name");
    if (!name) return ApiError(name.error());
    auto quota = proto::webapi::OptionalSize(body, "quota");
    if (!quota) return ApiError(quota.error());
    std::vector<std::string> domains;
    if (const auto* list = body.if_contains("domains"); list != nullptr && !list->is_null()) {
      if (!list->is_array()) {
        return ApiError(MakeError(Errc::kInvalidInput, "domains not an array",
                                  "domains must be a list of strings"));
      }
      for (const auto& d : list->as_array()) {
        if (!d.is_string()) {
          return ApiError(MakeError(Errc::kInvalidInput, "domain not a string",
                                    "domains must be a list of strings"));
        }
        domains.emplace_back(d.as_string());
      }
    }
    auto org = services.admin->AddOrg(caller, *name, std::move(domains), quota->value_or(0));
    if (!org) return ApiError(org.error());
    return JsonResponse(201, OrgJson(*org));
  });
}

Result<service::NewUser> NewUserFrom(const boost::json::object& body) {
  service::NewUser user;
  auto login = proto::webapi::RequiredString(body, "login");
  if (!login) return Fail(login.error());
  auto org = proto::webapi::RequiredString(body, "org");
  if (!org) return Fail(org.error());
  auto role = proto::webapi::OptionalString(body, "role");
  if (!role) return Fail(role.error());
  auto email = proto::webapi::OptionalString(body, "email");
  if (!email) return Fail(email.error());
  auto name = proto::webapi::OptionalString(body, "display_name");
  if (!name) return Fail(name.error());
  auto quota = proto::webapi::OptionalSize(body, "quota");
  if (!quota) return Fail(quota.error());
  auto password = proto::webapi::OptionalString(body, "password");
  if (!password) return Fail(password.error());
  user.login = std::move(*login);
  user.org = std::move(*org);
  if (*role) {
    auto parsed = model::ParseRole(**role);
    if (!parsed) {
      return Fail(Errc::kInvalidInput, "unknown role",
                  "role must be operator, org-admin or member");
    }
    user.role = *parsed;
  }
  user.email = email->value_or("");
  user.display_name = name->value_or("");
  user.quota = quota->value_or(0);
  user.password = std::move(*password);
  return user;
}

Reply Users(proto::http::Request& request, const service::Caller& caller,
            const ApiServices& services) {
  if (request.method == "GET") {
    auto org = proto::http::FindQueryParameter(request.query, "org");
    return proto::http::BlockingStep([caller, services, org = std::move(org)]() -> Reply {
      auto users = services.admin->ListUsers(caller, org);
      if (!users) return ApiError(users.error());
      boost::json::array out;
      for (const auto& user : *users) out.push_back(UserJson(user));
      return JsonResponse(200, out);
    });
  }
  if (request.method != "POST") return MethodNotAllowed("GET, POST");
  return WithJsonBody(request, [caller, services](const boost::json::object& body) {
    auto user = NewUserFrom(body);
    if (!user) return ApiError(user.error());
    auto password = services.admin->AddUser(caller, *user);
    if (!password) return ApiError(password.error());
    return JsonResponse(201, boost::json::object{{"login", user->login}, {"password", *password}});
  });
}

Reply ChangeUser(proto::http::Request& request, const service::Caller& caller,
                 const ApiServices& services, const std::string& login) {
  if (request.method != "PATCH") return MethodNotAllowed("PATCH");
  return WithJsonBody(request, [caller, services, login](const boost::json::object& body) {
    service::UserChange change;
    auto quota = proto::webapi::OptionalSize(body, "quota");
    if (!quota) return ApiError(quota.error());
    auto disabled = proto::webapi::OptionalBool(body, "disabled");
    if (!disabled) return ApiError(disabled.error());
    change.quota = *quota;
    change.disabled = *disabled;
    if (auto done = services.admin->ChangeUser(caller, login, change); !done) {
      return ApiError(done.error());
    }
    return NoContent();
  });
}

Reply ResetPassword(proto::http::Request& request, const service::Caller& caller,
                    const ApiServices& services, const std::string& login) {
  if (request.method != "POST") return MethodNotAllowed("POST");
  return WithJsonBody(request, [caller, services, login](const boost::json::object& body) {
    auto password = proto::webapi::OptionalString(body, "password");
    if (!password) return ApiError(password.error());
    auto set = services.admin->ResetPassword(caller, login, *password);
    if (!set) return ApiError(set.error());
    return JsonResponse(200, boost::json::object{{"password", *set}});
  });
}

}  // namespace

Reply AccountApiHandler::HandleAdmin(proto::http::Request& request, const service::Caller& caller,
                                     const http::RouteMatch& match) {
  const auto& s = match.segments;  // s[0] == "admin"
  if (s.size() == 2 && s[1] == "orgs") return Orgs(request, caller, services_);
  if (s.size() == 2 && s[1] == "users") return Users(request, caller, services_);
  if (s.size() == 3 && s[1] == "users") return ChangeUser(request, caller, services_, s[2]);
  if (s.size() == 4 && s[1] == "users" && s[3] == "password") {
    return ResetPassword(request, caller, services_, s[2]);
  }
  return ApiError(MakeError(Errc::kNotFound, "unknown admin path", "not found"));
}

}  // namespace regie::frontend::web
