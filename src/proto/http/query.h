// Parameters of a request's query string ("a=1&download=zip"), decoded by Boost.URL.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace regie::proto::http {

// The decoded value of the first parameter called `key` in `query` (after '?', still
// percent-encoded); "" for a key without '='. nullopt when absent or the query is malformed.
std::optional<std::string> FindQueryParameter(std::string_view query, std::string_view key);

}  // namespace regie::proto::http
