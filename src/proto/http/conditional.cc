#include "proto/http/conditional.h"

#include <strings.h>

#include <ctime>
#include <vector>

#include "base/crypto.h"

namespace regie::proto::http {
namespace {

// Splits an entity-tag list into (weak, opaque-tag) pairs; "*" yields {false, "*"}.
std::vector<std::pair<bool, std::string>> ParseEtagList(std::string_view value) {
  std::vector<std::pair<bool, std::string>> tags;
  std::size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t' || value[i] == ',')) ++i;
    if (i >= value.size()) break;
    if (value[i] == '*') {
      tags.emplace_back(false, "*");
      ++i;
      continue;
    }
    bool weak = false;
    if (value.compare(i, 2, "W/") == 0) {
      weak = true;
      i += 2;
    }
    if (i >= value.size() || value[i] != '"') break;  // Malformed: ignore the rest.
    const auto close = value.find('"', i + 1);
    if (close == std::string_view::npos) break;
    tags.emplace_back(weak, std::string(value.substr(i + 1, close - i - 1)));
    i = close + 1;
  }
  return tags;
}

}  // namespace

model::Preconditions ParsePreconditions(const Headers& headers) {
  model::Preconditions p;
  if (auto v = headers.Get("If-Match")) {
    for (auto& [weak, tag] : ParseEtagList(*v)) {
      if (tag == "*") {
        p.if_match_any = true;
      } else if (!weak) {
        p.if_match.push_back(std::move(tag));
      } else {
        p.if_match.push_back("\x01weak");  // Present but can never match.
      }
    }
  }
  if (auto v = headers.Get("If-None-Match")) {
    for (auto& [weak, tag] : ParseEtagList(*v)) {
      if (tag == "*") {
        p.if_none_match_any = true;
      } else {
        p.if_none_match.push_back(std::move(tag));  // Weak comparison (§13.1.2).
      }
    }
  }
  return p;
}

std::string QuoteEtag(std::string_view etag) { return "\"" + std::string(etag) + "\""; }

std::string FormatHttpDate(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<BasicCredentials> ParseBasicAuthorization(const Headers& headers) {
  auto value = headers.Get("Authorization");
  if (!value) return std::nullopt;
  std::string_view v = *value;
  if (v.size() < 6 || strncasecmp(v.data(), "Basic ", 6) != 0) return BasicCredentials{};
  v.remove_prefix(6);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  auto decoded = Base64Decode(v);
  if (!decoded) return BasicCredentials{};
  const auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0) return BasicCredentials{};
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace regie::proto::http
