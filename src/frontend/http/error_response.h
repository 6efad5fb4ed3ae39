// The one mapping from Errc to HTTP status, and the error response every handler sends.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "proto/http/message.h"

namespace regie::frontend::http {

int ToHttpStatus(Errc code);
// A plain-text response carrying error.detail (never error.message, which is for logs), with
// WWW-Authenticate on 401 and Retry-After on 429/503.
proto::http::Response ErrorResponse(const Error& error);
// The web API's error body (docs/api.md): {"error": CODE, "detail": TEXT}, CODE named after
// the status ("not-found", "unauthenticated", ...).
std::string JsonError(int status, std::string_view detail);

}  // namespace regie::frontend::http
