#include "proto/http/content_disposition.h"

#include <array>

namespace regie::proto::http {

namespace {

// RFC 8187 §3.2.1: attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" /
// "_" / "`" / "|" / "~".
bool IsAttrChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string AsciiFallback(std::string_view filename) {
  std::string out;
  out.reserve(filename.size());
  for (const char ch : filename) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) == 0x80) continue;  // A UTF-8 continuation byte: one '_' per character.
    // '%' too: some browsers percent-decode filename, which would turn "a%41" into "aA".
    const bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
    out.push_back(plain ? ch : '_');
  }
  return out;
}

std::string ExtValue(std::string_view filename) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out = "UTF-8''";
  for (const char ch : filename) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsAttrChar(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  return out;
}

}  // namespace

std::string AttachmentDisposition(std::string_view filename) {
  return "attachment; filename=\"" + AsciiFallback(filename) +
         "\"; filename*=" + ExtValue(filename);
}

bool HasQueryParameter(std::string_view query, std::string_view key, std::string_view value) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == key && pair.substr(eq + 1) == value) {
      return true;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

}  // namespace regie::proto::http
