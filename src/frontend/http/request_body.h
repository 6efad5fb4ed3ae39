// Reading a whole (small) request body before answering: DAV's XML documents (PROPFIND,
// PROPPATCH, LOCK, REPORT) and the web API's JSON.
#pragma once

#include <functional>
#include <string>

#include "proto/http/handler.h"

namespace regie::frontend::http {

// Collects the body of `request` (413 past `limit` bytes), then calls `then` with it on the
// blocking pool. A request without a body calls `then("")`.
proto::http::Reply WithBody(const proto::http::Request& request, std::size_t limit,
                            std::function<proto::http::Response(std::string body)> then);

}  // namespace regie::frontend::http
