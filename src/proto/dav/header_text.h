// Small helpers shared by the WebDAV header parsers (private to proto/dav).
#pragma once

#include <boost/url/url_view.hpp>
#include <cstddef>
#include <string_view>

namespace regie::proto::dav::detail {

// HTTP's whitespace, plus CR and LF: RFC 4918 §10.4 inherits RFC 2616's implied linear white
// space, and a folded header line may reach us with its line break intact.
inline bool IsLws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

inline std::string_view TrimLws(std::string_view s) {
  while (!s.empty() && IsLws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsLws(s.back())) s.remove_suffix(1);
  return s;
}

// ASCII case-insensitive equality; ABNF string literals are case-insensitive (RFC 5234 §2.3).
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Boost.URL 1.81 reads "http://host:abc/x" as host "host", an empty port and the path "abc/x";
// RFC 3986 §3.2.3 allows only digits in a port, so a path that follows an authority must be empty
// or start with '/'.
inline bool AuthorityIsWellFormed(const boost::urls::url_view& uri) {
  return !uri.has_authority() || uri.encoded_path().empty() || uri.encoded_path().starts_with('/');
}

}  // namespace regie::proto::dav::detail
