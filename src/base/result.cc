#include "base/result.h"

namespace regie {

const char* ErrcName(Errc code) {
  switch (code) {
    case Errc::kInvalidInput:
      return "invalid input";
    case Errc::kUnauthenticated:
      return "unauthenticated";
    case Errc::kForbidden:
      return "forbidden";
    case Errc::kNotFound:
      return "not found";
    case Errc::kMethodNotAllowed:
      return "method not allowed";
    case Errc::kConflict:
      return "conflict";
    case Errc::kAlreadyExists:
      return "already exists";
    case Errc::kPreconditionFailed:
      return "precondition failed";
    case Errc::kTooLarge:
      return "too large";
    case Errc::kUnsupportedMediaType:
      return "unsupported media type";
    case Errc::kRangeNotSatisfiable:
      return "range not satisfiable";
    case Errc::kOtherServer:
      return "not on this server";
    case Errc::kLocked:
      return "locked";
    case Errc::kQuotaExceeded:
      return "quota exceeded";
    case Errc::kTooManyResults:
      return "too many results";
    case Errc::kRateLimited:
      return "rate limited";
    case Errc::kUnavailable:
      return "unavailable";
    case Errc::kInternal:
      return "internal error";
  }
  return "internal error";  // Unreachable; keeps -Wreturn-type quiet.
}

}  // namespace regie
