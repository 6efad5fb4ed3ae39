// The one error type that crosses layers. Expected failures are values (Result<T>); bugs abort
// through REGIE_CHECK (check.h); exceptions never cross a layer.
#pragma once

#include <chrono>
#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace regie {

// Grows with the protocols: each front end maps every value in one switch without default.
enum class Errc {
  kInvalidInput,
  kUnauthenticated,
  kForbidden,
  kNotFound,
  kMethodNotAllowed,  // The resource exists but does not support this operation (MKCOL on it).
  kConflict,
  kAlreadyExists,
  kPreconditionFailed,
  kTooLarge,
  kUnsupportedMediaType,
  kRangeNotSatisfiable,
  kOtherServer,  // A Destination or reference to a resource this server does not hold.
  kLocked,
  kQuotaExceeded,
  kTooManyResults,  // A query matches more than its limit allows (RFC 6578 §3.7).
  kRateLimited,
  kUnavailable,
  kInternal,
};

// A namespace-qualified XML element name, used for DAV preconditions (RFC 4918 §16).
struct QName {
  std::string ns;
  std::string name;
  bool empty() const { return name.empty(); }
  bool operator==(const QName&) const = default;
};

struct Error {
  Errc code = Errc::kInternal;
  std::string message;         // For logs: names the object, no secrets; never echoed to clients.
  std::string detail;          // Short, client-safe reason a response may carry.
  QName condition;             // Precondition element; empty if none.
  std::string condition_href;  // An href the precondition element names, if any (RFC 4918 §16).
  std::chrono::seconds retry_after{0};  // For kRateLimited and kUnavailable: when to try again.
};

template <typename T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using tl::expected<T, Error>::expected;
  Result(const tl::expected<T, Error>& e) : tl::expected<T, Error>(e) {}        // NOLINT
  Result(tl::expected<T, Error>&& e) : tl::expected<T, Error>(std::move(e)) {}  // NOLINT
};

// An Error with its kind, log message and client-safe detail; no precondition, no retry time.
inline Error MakeError(Errc code, std::string message, std::string detail = {}) {
  return Error{code, std::move(message), std::move(detail), {}, {}, {}};
}

inline tl::unexpected<Error> Fail(Error e) { return tl::unexpected<Error>(std::move(e)); }
inline tl::unexpected<Error> Fail(Errc code, std::string message, std::string detail = {},
                                  QName condition = {}) {
  Error e = MakeError(code, std::move(message), std::move(detail));
  e.condition = std::move(condition);
  return Fail(std::move(e));
}

// Result<void> success value: `return Ok();`.
inline Result<void> Ok() { return {}; }

const char* ErrcName(Errc code);

}  // namespace regie
