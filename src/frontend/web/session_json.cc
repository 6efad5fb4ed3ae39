#include "frontend/web/session_json.h"

#include <boost/json/object.hpp>

#include "frontend/web/json_api.h"

namespace regie::frontend::web {

proto::http::Response SessionResponse(service::AccountService& accounts,
                                      const service::Caller& caller) {
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

}  // namespace regie::frontend::web
