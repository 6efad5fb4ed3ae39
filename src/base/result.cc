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
    case Errc::kLocked:
      return "locked";
    case Errc::kQuotaExceeded:
      return "quota exceeded";
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
