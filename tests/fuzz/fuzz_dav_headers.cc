// Fuzz target for the WebDAV request headers: the same bytes go to the Depth, Overwrite, Timeout,
// Destination, If and Lock-Token parsers. Besides crashes, hangs and sanitizer reports it checks
// the shapes the parsers promise on success.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "proto/dav/dav_headers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace dav = regie::proto::dav;
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  (void)dav::ParseDepth(value, dav::Depth::kInfinity);
  (void)dav::ParseOverwrite(value);
  (void)dav::ParseTimeout(value);
  if (auto destination = dav::ParseDestination(value)) {
    REGIE_CHECK(destination->path.starts_with('/'), "a Destination path is absolute");
  }
  if (auto lists = dav::ParseIfHeader(value)) {
    REGIE_CHECK(!lists->empty(), "an If header has at least one list");
    for (const auto& list : *lists) {
      REGIE_CHECK(!list.conditions.empty(), "an If list has at least one condition");
      REGIE_CHECK(list.resource.has_value() == lists->front().resource.has_value(),
                  "tagged and untagged lists never mix");
    }
  }
  if (auto token = dav::ParseLockTokenHeader(value)) {
    REGIE_CHECK(!token->empty(), "a lock token is not empty");
  }
  return 0;
}
