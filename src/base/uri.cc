#include "base/uri.h"

#include <cstdint>

namespace regie {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 (RFC 3629 §3).
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += len;
  }
  return true;
}

Result<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return Fail(Errc::kInvalidInput, "truncated percent escape", "malformed percent escape");
    }
    const int hi = HexDigit(s[i + 1]);
    const int lo = HexDigit(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return Fail(Errc::kInvalidInput, "bad percent escape", "malformed percent escape");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  if (out.find('\0') != std::string::npos) {
    return Fail(Errc::kInvalidInput, "NUL in path", "NUL byte in path");
  }
  if (!IsValidUtf8(out)) {
    return Fail(Errc::kInvalidInput, "path is not UTF-8", "path is not valid UTF-8");
  }
  return out;
}

std::string PercentEncodeSegment(std::string_view s) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '@' || c == '+' ||
                      c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' ||
                      c == '*' || c == ',' || c == ';' || c == '=' || c == ':';
    if (keep) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xF]);
    }
  }
  return out;
}

Result<std::vector<std::string>> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view raw = path.substr(pos, slash - pos);
    pos = slash + 1;
    if (raw.empty()) continue;
    auto decoded = PercentDecode(raw);
    if (!decoded) return Fail(decoded.error());
    if (*decoded == "." || *decoded == ".." || decoded->find('/') != std::string::npos) {
      return Fail(Errc::kInvalidInput, "dot or slash segment in path", "invalid path segment");
    }
    segments.push_back(std::move(*decoded));
  }
  return segments;
}

}  // namespace regie
