// Reading a whole (small) request body before answering: PROPFIND, PROPPATCH, LOCK and REPORT
// carry XML documents bounded by DavOptions::xml.max_bytes.
#pragma once

#include <functional>
#include <string>

#include "proto/http/handler.h"

namespace regie::frontend::dav {

// Collects the body of `request` (413 past `limit` bytes), then calls `then` with it on the
// blocking pool. A request without a body calls `then("")`.
proto::http::Reply WithBody(const proto::http::Request& request, std::size_t limit,
                            std::function<proto::http::Response(std::string body)> then);

}  // namespace regie::frontend::dav
