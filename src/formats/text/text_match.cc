#include "formats/text/text_match.h"

#include <algorithm>
#include <cctype>

#include "formats/text/unicode.h"

namespace regie::formats::text {
namespace {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// Both sides in the collation's comparison form, or nullopt when one cannot be mapped.
std::optional<std::pair<std::string, std::string>> Prepare(Collation collation,
                                                           std::string_view needle,
                                                           std::string_view haystack) {
  switch (collation) {
    case Collation::kOctet:
      return std::pair{std::string(needle), std::string(haystack)};
    case Collation::kAsciiCasemap:
      return std::pair{AsciiLower(needle), AsciiLower(haystack)};
    case Collation::kUnicodeCasemap: {
      auto n = CaseFold(needle);
      auto h = CaseFold(haystack);
      if (!n || !h) return std::nullopt;
      return std::pair{std::move(*n), std::move(*h)};
    }
  }
  return std::nullopt;
}

bool Test(MatchType type, std::string_view needle, std::string_view haystack) {
  switch (type) {
    case MatchType::kEquals:
      return haystack == needle;
    case MatchType::kContains:
      return haystack.find(needle) != std::string_view::npos;
    case MatchType::kStartsWith:
      return haystack.starts_with(needle);
    case MatchType::kEndsWith:
      return haystack.ends_with(needle);
  }
  return false;
}

}  // namespace

std::optional<Collation> ParseCollation(std::string_view name) {
  if (name == "i;octet") return Collation::kOctet;
  if (name == "i;ascii-casemap") return Collation::kAsciiCasemap;
  if (name == "i;unicode-casemap") return Collation::kUnicodeCasemap;
  return std::nullopt;
}

std::optional<MatchType> ParseMatchType(std::string_view name) {
  if (name == "equals") return MatchType::kEquals;
  if (name == "contains") return MatchType::kContains;
  if (name == "starts-with") return MatchType::kStartsWith;
  if (name == "ends-with") return MatchType::kEndsWith;
  return std::nullopt;
}

bool Matches(const TextMatch& match, std::string_view value) {
  const auto prepared = Prepare(match.collation, match.text, value);
  const bool hit = prepared && Test(match.match, prepared->first, prepared->second);
  return hit != match.negate;
}

}  // namespace regie::formats::text
