#include "proto/http/content_disposition.h"

#include <boost/url/encode.hpp>
#include <boost/url/grammar/lut_chars.hpp>

namespace regie::proto::http {

namespace {

// RFC 8187 §3.2.1: attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" /
// "_" / "`" / "|" / "~"; every other byte is percent-encoded.
constexpr boost::urls::grammar::lut_chars kAttrChars(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~");

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
  return "UTF-8''" + boost::urls::encode(filename, kAttrChars);
}

}  // namespace

std::string AttachmentDisposition(std::string_view filename) {
  return "attachment; filename=\"" + AsciiFallback(filename) +
         "\"; filename*=" + ExtValue(filename);
}

}  // namespace regie::proto::http
