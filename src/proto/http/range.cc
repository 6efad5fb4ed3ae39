#include "proto/http/range.h"

#include <charconv>
#include <ctime>
#include <string>

namespace regie::proto::http {
namespace {

std::optional<std::uint64_t> ParseNumber(std::string_view s) {
  std::uint64_t value = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

RangeRequest ParseRange(std::string_view header, std::uint64_t size) {
  constexpr std::string_view kUnit = "bytes=";
  if (header.substr(0, kUnit.size()) != kUnit) return {};
  const std::string_view spec = header.substr(kUnit.size());
  // Several ranges would need multipart/byteranges; a server may send the whole body instead.
  if (spec.find(',') != std::string_view::npos) return {};
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  const auto first = ParseNumber(spec.substr(0, dash));
  const auto last = ParseNumber(spec.substr(dash + 1));
  if (!first) {
    if (!last) return {};
    // A suffix range: the last N bytes. RFC 9110 §14.1.3: "-0" is unsatisfiable.
    if (*last == 0 || size == 0) return {RangeVerdict::kUnsatisfiable, {}};
    const std::uint64_t n = std::min(*last, size);
    return {RangeVerdict::kPartial, {size - n, n}};
  }
  if (last && *last < *first) return {};  // Invalid: ignored like an absent Range.
  if (*first >= size) return {RangeVerdict::kUnsatisfiable, {}};
  const std::uint64_t end = last ? std::min(*last, size - 1) : size - 1;
  return {RangeVerdict::kPartial, {*first, end - *first + 1}};
}

std::optional<std::int64_t> ParseHttpDate(std::string_view text) {
  const std::string s(text);
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    std::tm tm{};
    const char* end = strptime(s.c_str(), format, &tm);
    if (end != nullptr && *end == '\0') return static_cast<std::int64_t>(timegm(&tm));
  }
  return std::nullopt;
}

}  // namespace regie::proto::http
