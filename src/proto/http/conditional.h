// Header codecs shared by the HTTP front ends: entity tags and conditional requests
// (RFC 9110 §8.8.3, §13), HTTP dates (§5.6.7) and Basic credentials (RFC 7617).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/preconditions.h"
#include "proto/http/message.h"

namespace regie::proto::http {

// If-Match and If-None-Match. Weak tags in If-Match never match (strong comparison, §13.1.1).
model::Preconditions ParsePreconditions(const Headers& headers);
std::string QuoteEtag(std::string_view etag);
// "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(std::int64_t unix_seconds);

struct BasicCredentials {
  std::string login;
  std::string password;
};
// nullopt when there is no Authorization header; an empty login when it is not valid Basic.
std::optional<BasicCredentials> ParseBasicAuthorization(const Headers& headers);

}  // namespace regie::proto::http
