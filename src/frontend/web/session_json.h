// The session object of /api/v1/session (docs/api.md), shared by sign-in and GET.
#pragma once

#include "proto/http/message.h"
#include "service/account_service.h"
#include "service/auth_service.h"

namespace regie::frontend::web {

// 200 with {user, display_name, email, org, role, csrf, quota, used}; `caller` must carry its
// session. Blocks (reads the usage).
proto::http::Response SessionResponse(service::AccountService& accounts,
                                      const service::Caller& caller);

}  // namespace regie::frontend::web
