#include "frontend/http/error_response.h"

#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace regie::frontend::http {
namespace {

std::string_view CodeOf(int status) {
  switch (status) {
    case 400:
      return "invalid";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not-found";
    case 409:
      return "conflict";
    case 413:
      return "too-large";
    case 429:
      return "rate-limited";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal" : "invalid";
  }
}

}  // namespace

int ToHttpStatus(Errc code) {
  switch (code) {  // No default: -Wswitch then flags every Errc added later.
    case Errc::kInvalidInput:
      return 400;
    case Errc::kUnauthenticated:
      return 401;
    case Errc::kForbidden:
      return 403;
    case Errc::kNotFound:
      return 404;
    case Errc::kMethodNotAllowed:
      return 405;
    case Errc::kConflict:
    case Errc::kAlreadyExists:
      return 409;
    case Errc::kPreconditionFailed:
      return 412;
    case Errc::kTooLarge:
      return 413;
    case Errc::kUnsupportedMediaType:
      return 415;
    case Errc::kRangeNotSatisfiable:
      return 416;
    case Errc::kOtherServer:
      return 502;
    case Errc::kLocked:
      return 423;
    case Errc::kQuotaExceeded:
    case Errc::kTooManyResults:
      return 507;
    case Errc::kRateLimited:
      return 429;
    case Errc::kUnavailable:
      return 503;
    case Errc::kInternal:
      return 500;
  }
  return 500;  // Unreachable; keeps -Wreturn-type quiet.
}

proto::http::Response ErrorResponse(const Error& error) {
  const int status = ToHttpStatus(error.code);
  if (status >= 500) spdlog::error("{}: {}", ErrcName(error.code), error.message);
  auto res = proto::http::Response::Text(
      status, error.detail.empty() ? ErrcName(error.code) : error.detail);
  if (status == 401)
    res.headers.Set("WWW-Authenticate", "Basic realm=\"Regie\", charset=\"UTF-8\"");
  if ((status == 429 || status == 503) && error.retry_after.count() > 0) {
    res.headers.Set("Retry-After", std::to_string(error.retry_after.count()));
  }
  return res;
}

}  // namespace regie::frontend::http

namespace regie::frontend::http {

std::string JsonError(int status, std::string_view detail) {
  // The detail usually comes from a plain-text body, whose line ends here.
  while (!detail.empty() && detail.back() == '\n') detail.remove_suffix(1);
  return boost::json::serialize(boost::json::object{{"error", CodeOf(status)}, {"detail", detail}});
}

}  // namespace regie::frontend::http
