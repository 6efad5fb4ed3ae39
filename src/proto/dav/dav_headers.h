// Parsers of the WebDAV request headers (RFC 4918 §10). Errors are kInvalidInput (400) with a
// short client-safe detail. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace regie::proto::dav {

enum class Depth { kZero, kOne, kInfinity };

// "0", "1" or "infinity" (case-insensitive); `absent` when there is no header.
Result<Depth> ParseDepth(std::optional<std::string_view> value, Depth absent);

// "T" or "F" (RFC 4918 §10.6); true when absent.
Result<bool> ParseOverwrite(std::optional<std::string_view> value);

// RFC 4918 §10.7: a list of "Second-N" and "Infinite"; the first entry understood wins.
// Infinite is std::chrono::seconds::max(). nullopt when absent or nothing is understood.
std::optional<std::chrono::seconds> ParseTimeout(std::optional<std::string_view> value);

// RFC 4918 §10.3: an absolute URI (http or https) or an absolute path. `path` is the
// percent-encoded path without query or fragment; `authority` is host[:port] of an absolute URI,
// empty for an absolute path.
struct Destination {
  std::string authority;
  std::string path;
};
Result<Destination> ParseDestination(std::string_view value);

// RFC 4918 §10.4: the If header.
enum class IfConditionKind { kStateToken, kEntityTag };

struct IfCondition {
  bool negated = false;  // "Not".
  IfConditionKind kind = IfConditionKind::kStateToken;
  // kStateToken: the Coded-URL without the angle brackets ("opaquelocktoken:…", "DAV:no-lock").
  // kEntityTag: the entity-tag as sent inside the brackets, quotes included ("\"abc\"", W/"x").
  std::string value;
};

struct IfList {
  // Tagged list: the resource URL as sent without angle brackets (absolute URI or path);
  // nullopt for an untagged list, which applies to the request URI.
  std::optional<std::string> resource;
  std::vector<IfCondition> conditions;  // All must hold (AND); lists are alternatives (OR).
};

// The lists in order; a header mixing tagged and untagged lists, or malformed, is 400.
Result<std::vector<IfList>> ParseIfHeader(std::string_view value);

// The Lock-Token header of UNLOCK (RFC 4918 §10.5): "<token>" yields the token.
Result<std::string> ParseLockTokenHeader(std::string_view value);

}  // namespace regie::proto::dav
