// Fuzz target for the parsers Regie applies to request fields after Beast has framed the
// request: path decoding, Basic credentials, conditional headers (entity tags, HTTP dates,
// Range) and proxy forwarding headers. Input layout: four NUL-separated fields (path,
// Authorization, If-Match/If-None-Match/Range/If-Modified-Since, X-Forwarded-For/Forwarded).
// Only crashes, hangs and sanitizer reports matter.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "base/uri.h"
#include "fuzz_fields.h"
#include "proto/http/conditional.h"
#include "proto/http/forwarded.h"
#include "proto/http/range.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto fields = regie::fuzz::SplitFields<4>(data, size);
  if (auto segments = regie::SplitPath(fields[0])) {
    // An href built from decoded segments decodes back to the same segments.
    for (const auto& segment : *segments) {
      auto again = regie::PercentDecode(regie::PercentEncodeSegment(segment));
      REGIE_CHECK(again && *again == segment, "percent-encoding does not round-trip");
    }
  }
  for (const std::uint64_t body : {0ULL, 1ULL, 1000ULL, ~0ULL}) {
    const auto range = regie::proto::http::ParseRange(fields[2], body);
    if (range.verdict == regie::proto::http::RangeVerdict::kPartial) {
      REGIE_CHECK(range.range.length > 0 && range.range.first < body &&
                      range.range.length <= body - range.range.first,
                  "a partial range lies outside the body");
    }
  }
  (void)regie::proto::http::ParseHttpDate(fields[2]);
  regie::proto::http::Request request;
  request.peer_address = "127.0.0.1";
  request.headers.Add("Authorization", std::string(fields[1]));
  request.headers.Add("If-Match", std::string(fields[2]));
  request.headers.Add("If-None-Match", std::string(fields[2]));
  request.headers.Add("X-Forwarded-For", std::string(fields[3]));
  request.headers.Add("Forwarded", std::string(fields[3]));
  (void)regie::proto::http::ParseBasicAuthorization(request.headers);
  (void)regie::proto::http::ParsePreconditions(request.headers).Allow("etag");
  static const std::vector<regie::proto::http::AddressRange> kTrusted{
      *regie::proto::http::AddressRange::Parse("127.0.0.0/8"),
      *regie::proto::http::AddressRange::Parse("10.0.0.0/8")};
  regie::proto::http::ApplyForwarding(request, kTrusted, false);
  (void)regie::proto::http::AddressRange::Parse(fields[3]);
  return 0;
}
