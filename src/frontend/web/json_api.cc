#include "frontend/web/json_api.h"

#include <boost/json/serialize.hpp>

#include "frontend/http/error_response.h"
#include "frontend/http/request_body.h"

namespace regie::frontend::web {

using proto::http::Response;

Response JsonResponse(int status, const boost::json::value& value) {
  Response res;
  res.status = status;
  res.body = boost::json::serialize(value);
  res.headers.Set("Content-Type", "application/json");
  res.headers.Set("Cache-Control", "no-store");
  return res;
}

Response ApiError(const Error& error) {
  // The plain error response carries the headers (Retry-After, WWW-Authenticate) and logs
  // server errors; only its body changes.
  Response res = http::ErrorResponse(error);
  res.body = http::JsonError(res.status, res.body);
  res.headers.Set("Content-Type", "application/json");
  res.headers.Set("Cache-Control", "no-store");
  return res;
}

Response NoContent() {
  Response res;
  res.status = 204;
  res.headers.Set("Cache-Control", "no-store");
  return res;
}

Response MethodNotAllowed(std::string_view allow) {
  Response res = ApiError(MakeError(Errc::kMethodNotAllowed, "api method", "method not allowed"));
  res.headers.Set("Allow", std::string(allow));
  return res;
}

proto::http::Reply WithJsonBody(const proto::http::Request& request,
                                std::function<Response(boost::json::object)> then) {
  return http::WithBody(request, kMaxJsonBodyBytes,
                        [then = std::move(then)](const std::string& body) -> Response {
                          auto object = proto::webapi::ParseObject(body);
                          if (!object) return ApiError(object.error());
                          return then(std::move(*object));
                        });
}

}  // namespace regie::frontend::web
