// Reading a whole (small) request body before answering: PROPFIND, PROPPATCH, LOCK and REPORT
// carry XML documents bounded by DavOptions::xml.max_bytes.
#pragma once

#include <functional>
#include <string>

#include "frontend/dav/file_request.h"
#include "proto/http/handler.h"

namespace regie::frontend::dav {

// Collects the body (413 past the limit), then calls `then` with it on the blocking pool.
// A request without a body calls `then("")`.
proto::http::Reply WithBody(FileRequestPtr req,
                            std::function<proto::http::Response(std::string body)> then);

}  // namespace regie::frontend::dav
