// The one mapping from Errc to HTTP status, and the error response every handler sends.
#pragma once

#include "base/result.h"
#include "proto/http/message.h"

namespace regie::frontend::http {

int ToHttpStatus(Errc code);
// A plain-text response carrying error.detail (never error.message, which is for logs), with
// WWW-Authenticate on 401 and Retry-After on 429/503.
proto::http::Response ErrorResponse(const Error& error);

}  // namespace regie::frontend::http
