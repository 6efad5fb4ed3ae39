// The JSON conventions of /api/v1/ (docs/api.md): bodies in and out, and errors as
// {"error": CODE, "detail": TEXT} with the status of the one Errc mapping (error_response.h).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "proto/http/handler.h"
#include "proto/webapi/json_fields.h"

namespace regie::frontend::web {

// Bodies of the API are small: a login, a password, a user.
inline constexpr std::size_t kMaxJsonBodyBytes = std::size_t{64} * 1024;

proto::http::Response JsonResponse(int status, const boost::json::value& value);
proto::http::Response ApiError(const Error& error);
proto::http::Response NoContent();
// 405 with the methods the resource takes in Allow ("GET, POST").
proto::http::Response MethodNotAllowed(std::string_view allow);

// Reads the JSON object body of `request` (413 past kMaxJsonBodyBytes, 400 when it is not an
// object), then calls `then` with it on the blocking pool.
proto::http::Reply WithJsonBody(const proto::http::Request& request,
                                std::function<proto::http::Response(boost::json::object)> then);

}  // namespace regie::frontend::web
