// Depth, Overwrite, Timeout and Destination. The If and Lock-Token headers, which share the
// Coded-URL grammar, are in if_header.cc.
#include "proto/dav/dav_headers.h"

#include <boost/url/parse.hpp>
#include <boost/url/scheme.hpp>
#include <cstdint>
#include <limits>

#include "proto/dav/header_text.h"

namespace regie::proto::dav {

using detail::EqualsIgnoreCase;
using detail::TrimLws;

Result<Depth> ParseDepth(std::optional<std::string_view> value, Depth absent) {
  if (!value) return absent;
  const std::string_view v = TrimLws(*value);
  if (v == "0") return Depth::kZero;
  if (v == "1") return Depth::kOne;
  if (EqualsIgnoreCase(v, "infinity")) return Depth::kInfinity;
  return Fail(Errc::kInvalidInput, "depth header '" + std::string(v) + "'", "invalid Depth header");
}

Result<bool> ParseOverwrite(std::optional<std::string_view> value) {
  if (!value) return true;
  const std::string_view v = TrimLws(*value);
  if (EqualsIgnoreCase(v, "T")) return true;
  if (EqualsIgnoreCase(v, "F")) return false;
  return Fail(Errc::kInvalidInput, "overwrite header '" + std::string(v) + "'",
              "invalid Overwrite header");
}

namespace {

// "Second-N" with N at most 2^32-1 (RFC 4918 §10.7); anything else is not understood.
std::optional<std::chrono::seconds> ParseTimeType(std::string_view t) {
  if (EqualsIgnoreCase(t, "Infinite")) return std::chrono::seconds::max();
  constexpr std::string_view kSecond = "Second-";
  if (t.size() <= kSecond.size() || !EqualsIgnoreCase(t.substr(0, kSecond.size()), kSecond)) {
    return std::nullopt;
  }
  std::uint64_t n = 0;
  for (const char c : t.substr(kSecond.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
    if (n > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  }
  return std::chrono::seconds(n);
}

}  // namespace

std::optional<std::chrono::seconds> ParseTimeout(std::optional<std::string_view> value) {
  if (!value) return std::nullopt;
  std::string_view rest = *value;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view entry = TrimLws(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (auto t = ParseTimeType(entry)) return t;
  }
  return std::nullopt;
}

Result<Destination> ParseDestination(std::string_view value) {
  const std::string_view v = TrimLws(value);
  auto bad = [&](const char* why) {
    return Fail(Errc::kInvalidInput, std::string("destination header: ") + why,
                std::string("invalid Destination header: ") + why);
  };
  auto parsed = boost::urls::parse_uri_reference(v);
  if (!parsed || !detail::AuthorityIsWellFormed(*parsed)) return bad("malformed URI");
  const boost::urls::url_view& uri = *parsed;
  // RFC 4918 §10.3: Simple-ref = absolute-URI | path-absolute ["?" query]; neither form has a
  // fragment. A query is allowed but names nothing in a WebDAV namespace, so it is dropped.
  if (uri.has_fragment()) return bad("fragment not allowed");
  if (!uri.has_scheme()) {
    if (uri.has_authority() || !uri.encoded_path().starts_with('/')) {
      return bad("not an absolute URI or path");
    }
    return Destination{"", std::string(uri.encoded_path())};
  }
  if (uri.scheme_id() != boost::urls::scheme::http &&
      uri.scheme_id() != boost::urls::scheme::https) {
    return bad("scheme must be http or https");
  }
  if (!uri.has_authority() || uri.encoded_host().empty()) return bad("no host");
  std::string path(uri.encoded_path());
  if (path.empty()) path = "/";  // RFC 3986 §6.2.3: an empty path is the root.
  return Destination{std::string(uri.encoded_host_and_port()), std::move(path)};
}

}  // namespace regie::proto::dav
