// Unicode text rules shared by every store of names and every text comparison (utf8proc).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace regie::formats::text {

// NFC of valid UTF-8, or nullopt when `utf8` is not valid UTF-8. Two names with the same NFC are
// the same name for uniqueness, so that "é" precomposed and decomposed cannot both exist.
std::optional<std::string> NormalizeNfc(std::string_view utf8);

// Full Unicode case folding after NFKC-free normalisation (utf8proc CASEFOLD | COMPOSE | STABLE),
// as i;unicode-casemap (RFC 5051) needs; nullopt for invalid UTF-8.
std::optional<std::string> CaseFold(std::string_view utf8);

}  // namespace regie::formats::text
