#include "proto/http/cookie.h"

namespace regie::proto::http {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::string> FindIn(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    const std::string_view pair = Trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = Trim(pair.substr(eq + 1));
    // §4.1.1: a value may be wrapped in double quotes, which are not part of it.
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> FindCookie(const Headers& headers, std::string_view name) {
  for (const auto& [field, value] : headers.fields()) {
    if (field.size() != 6) continue;
    std::string lower;
    for (const char ch : field) lower.push_back(static_cast<char>(ch | 0x20));
    if (lower != "cookie") continue;
    if (auto found = FindIn(value, name)) return found;
  }
  return std::nullopt;
}

std::string FormatSetCookie(std::string_view name, std::string_view value,
                            const SetCookieOptions& options) {
  std::string out(name);
  out.push_back('=');
  out.append(value);
  out.append("; Path=/; HttpOnly; SameSite=Lax");
  if (options.security == CookieSecurity::kTlsOnly) out.append("; Secure");
  if (options.max_age) out.append("; Max-Age=" + std::to_string(options.max_age->count()));
  return out;
}

}  // namespace regie::proto::http
