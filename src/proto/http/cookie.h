// Cookies (RFC 6265): reading one by name from the Cookie request header, and writing
// Set-Cookie for the web workplace's session.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "proto/http/message.h"

namespace regie::proto::http {

// The value of the first cookie called `name` in any Cookie header; nullopt when absent.
// Malformed pairs are skipped (§5.4: user agents send what they stored, servers stay lenient).
std::optional<std::string> FindCookie(const Headers& headers, std::string_view name);

enum class CookieSecurity { kAnyTransport, kTlsOnly };

struct SetCookieOptions {
  CookieSecurity security = CookieSecurity::kAnyTransport;  // kTlsOnly adds Secure.
  // Absent: a session cookie. Zero: delete the cookie now.
  std::optional<std::chrono::seconds> max_age;
};

// A Set-Cookie value with Path=/, HttpOnly and SameSite=Lax. `value` must be cookie-octets
// (§4.1.1); callers pass tokens of their own making.
std::string FormatSetCookie(std::string_view name, std::string_view value,
                            const SetCookieOptions& options);

}  // namespace regie::proto::http
