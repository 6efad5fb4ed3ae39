// Request-target helpers: splitting a path into decoded segments with the checks every front end
// needs (valid percent escapes, valid UTF-8, no NUL, no dot segments).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace regie {

bool IsValidUtf8(std::string_view s);

// Decodes %XX escapes. kInvalidInput on a malformed escape, invalid UTF-8 or a NUL byte.
Result<std::string> PercentDecode(std::string_view s);

// Encodes everything but RFC 3986 unreserved characters and sub-delims safe in a path segment.
std::string PercentEncodeSegment(std::string_view s);

// Splits an absolute path ("/a/b%20c/") into decoded segments {"a", "b c"}. Empty segments from
// repeated or trailing slashes are dropped; "." and ".." segments and a decoded '/' inside a
// segment are kInvalidInput, so a path always names what it seems to name.
Result<std::vector<std::string>> SplitPath(std::string_view path);

}  // namespace regie
