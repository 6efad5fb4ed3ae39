// The web API under /api/v1/ (docs/api.md): what no open protocol covers. The session route is
// public (it signs in); everything else is behind the usual authentication, by session cookie or
// HTTP Basic. Handlers parse and format JSON; the services decide.
#pragma once

#include <memory>

#include "frontend/http/route.h"
#include "service/account_service.h"
#include "service/admin_service.h"
#include "service/session_service.h"

namespace regie::frontend::web {

struct ApiServices {
  std::shared_ptr<service::AuthService> auth;
  std::shared_ptr<service::SessionService> sessions;
  std::shared_ptr<service::AccountService> accounts;
  std::shared_ptr<service::AdminService> admin;
};

// /api/v1/session: POST signs in (no credentials needed, no CSRF token), GET answers the
// session, DELETE signs out. Register with RouteAccess::kPublic.
class SessionApiHandler final : public http::RouteHandler {
 public:
  explicit SessionApiHandler(ApiServices services) : services_(std::move(services)) {}
  proto::http::Reply Handle(proto::http::Request& request, const service::Caller& caller,
                            http::RouteMatch match) override;

 private:
  ApiServices services_;
};

// /api/v1/password, /api/v1/app-passwords[/LABEL], /api/v1/mobileconfig and /api/v1/admin/...
class AccountApiHandler final : public http::RouteHandler {
 public:
  explicit AccountApiHandler(ApiServices services) : services_(std::move(services)) {}
  proto::http::Reply Handle(proto::http::Request& request, const service::Caller& caller,
                            http::RouteMatch match) override;

 private:
  proto::http::Reply HandleAdmin(proto::http::Request& request, const service::Caller& caller,
                                 const http::RouteMatch& match);

  ApiServices services_;
};

}  // namespace regie::frontend::web
