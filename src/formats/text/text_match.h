// Text matching for CalDAV and CardDAV queries (RFC 4791 §9.7.5, RFC 6352 §10.5.4): collations
// (RFC 4790 i;octet and i;ascii-casemap, RFC 5051 i;unicode-casemap) and match types.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace regie::formats::text {

enum class Collation { kOctet, kAsciiCasemap, kUnicodeCasemap };
enum class MatchType { kEquals, kContains, kStartsWith, kEndsWith };

// "i;octet", "i;ascii-casemap", "i;unicode-casemap"; nullopt for any other (the protocols answer
// those with their supported-collation precondition).
std::optional<Collation> ParseCollation(std::string_view name);
// "equals", "contains", "starts-with", "ends-with".
std::optional<MatchType> ParseMatchType(std::string_view name);

struct TextMatch {
  std::string text;
  Collation collation = Collation::kAsciiCasemap;  // The default of both RFCs.
  MatchType match = MatchType::kContains;          // CalDAV knows only substring matches.
  bool negate = false;                             // negate-condition="yes"
};

// Whether `value` matches, negation applied. i;unicode-casemap compares full Unicode case folds
// of the NFC forms, so "STRASSE" matches "Straße" and NFD input matches NFC text; invalid UTF-8
// never matches under it (and matches under negation).
bool Matches(const TextMatch& match, std::string_view value);

}  // namespace regie::formats::text
