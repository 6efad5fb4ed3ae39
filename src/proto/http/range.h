// Byte ranges (RFC 9110 §14) and the date conditions (§13.1.3, §13.1.4) of GET and HEAD.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace regie::proto::http {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

enum class RangeVerdict {
  kWholeBody,      // No Range, one this server ignores (several ranges, other units), or invalid.
  kPartial,        // Serve `range` with 206.
  kUnsatisfiable,  // 416 with "Content-Range: bytes */size".
};

struct RangeRequest {
  RangeVerdict verdict = RangeVerdict::kWholeBody;
  ByteRange range;
};

// A single "bytes=first-last", "bytes=first-" or "bytes=-suffix" against a body of `size`.
RangeRequest ParseRange(std::string_view header, std::uint64_t size);

// An HTTP date in any of the three formats of RFC 9110 §5.6.7, as Unix seconds.
std::optional<std::int64_t> ParseHttpDate(std::string_view text);

}  // namespace regie::proto::http
