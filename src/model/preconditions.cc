#include "model/preconditions.h"

#include <algorithm>

namespace regie::model {

namespace {

bool Listed(const std::vector<std::string>& tags, std::optional<std::string_view> etag) {
  return etag && std::find(tags.begin(), tags.end(), *etag) != tags.end();
}

}  // namespace

bool Preconditions::IfMatchHolds(std::optional<std::string_view> etag) const {
  if (if_match_any && !etag) return false;
  return if_match.empty() || Listed(if_match, etag);
}

bool Preconditions::IfNoneMatchHolds(std::optional<std::string_view> etag) const {
  if (if_none_match_any && etag) return false;
  return if_none_match.empty() || !Listed(if_none_match, etag);
}

}  // namespace regie::model
