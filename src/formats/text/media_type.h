// Media types guessed from file names, for files whose uploader did not say (RFC 9110 §8.3).
#pragma once

#include <string_view>

namespace regie::formats::text {

// The media type for `name`'s extension (case-insensitive), or "application/octet-stream".
std::string_view MediaTypeForName(std::string_view name);

}  // namespace regie::formats::text
