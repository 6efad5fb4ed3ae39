// Conditional request state (RFC 9110 §13.1): If-Match and If-None-Match, already parsed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace regie::model {

struct Preconditions {
  bool if_match_any = false;          // If-Match: *
  std::vector<std::string> if_match;  // Entity-tag values without quotes.
  bool if_none_match_any = false;     // If-None-Match: *
  std::vector<std::string> if_none_match;

  bool empty() const {
    return !if_match_any && if_match.empty() && !if_none_match_any && if_none_match.empty();
  }
  // Whether a state-changing request may proceed on a resource whose current strong entity tag
  // is `etag` (nullopt: the resource does not exist). RFC 9110 §13.1.1 and §13.1.2.
  bool Allow(std::optional<std::string_view> etag) const {
    return IfMatchHolds(etag) && IfNoneMatchHolds(etag);
  }
  // Each header on its own (true when absent): a GET evaluates them apart (§13.2.2), since a
  // failed If-None-Match is 304 there, not 412.
  bool IfMatchHolds(std::optional<std::string_view> etag) const;
  bool IfNoneMatchHolds(std::optional<std::string_view> etag) const;
};

}  // namespace regie::model
