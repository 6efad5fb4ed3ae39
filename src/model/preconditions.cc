#include "model/preconditions.h"

#include <algorithm>

namespace regie::model {

bool Preconditions::Allow(std::optional<std::string_view> etag) const {
  const auto listed = [&](const std::vector<std::string>& tags) {
    return etag && std::find(tags.begin(), tags.end(), *etag) != tags.end();
  };
  if (if_match_any && !etag) return false;
  if (!if_match.empty() && !listed(if_match)) return false;
  if (if_none_match_any && etag) return false;
  if (!if_none_match.empty() && listed(if_none_match)) return false;
  return true;
}

}  // namespace regie::model
