// Errors and small rules shared by the FileService source files. Internal to service/.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "service/file_service.h"
#include "service/quota.h"

namespace regie::service::file_detail {

inline Error NotFound(std::string message) {
  return MakeError(Errc::kNotFound, std::move(message), "not found");
}

inline Error PreconditionFailed(const std::string& name) {
  return MakeError(Errc::kPreconditionFailed, "precondition failed on " + name,
                   "precondition failed");
}

inline Error QuotaExceeded(std::string_view what) {
  return MakeError(Errc::kQuotaExceeded, std::string(what) + " quota exceeded",
                   "not enough storage quota for this upload");
}

inline std::optional<std::string_view> EtagOf(const std::optional<model::Item>& item) {
  if (!item) return std::nullopt;
  return std::string_view(item->etag);
}

// The entity tag that preconditions compare for whatever `target` names: a file's ETag; for a
// folder an empty tag, which "*" matches and no listed tag does; nullopt when nothing is there.
inline std::optional<std::string_view> EtagOf(const FileTarget& target) {
  if (target.item) return std::string_view(target.item->etag);
  if (target.folder) return std::string_view();
  return std::nullopt;
}

}  // namespace regie::service::file_detail
