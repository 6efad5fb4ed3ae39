#include "base/units.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <utility>

namespace regie {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "12.5MiB" into its numeric prefix and unit suffix.
std::pair<std::string_view, std::string_view> SplitNumber(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  return {s.substr(0, i), Trim(s.substr(i))};
}

}  // namespace

Result<std::uint64_t> ParseSize(std::string_view text) {
  auto [number, unit] = SplitNumber(Trim(text));
  auto bad = [&] {
    return Fail(Errc::kInvalidInput, "invalid size '" + std::string(text) + "'",
                "invalid size '" + std::string(text) + "' (use e.g. 512KiB, 64MiB, 2GB)");
  };
  if (number.empty() || std::count(number.begin(), number.end(), '.') > 1 ||
      number.find_first_of("0123456789") == std::string_view::npos || number.size() > 24) {
    return bad();
  }
  static constexpr std::array<std::pair<std::string_view, double>, 14> kUnits{{
      {"", 1.0},
      {"b", 1.0},
      {"kb", 1e3},
      {"mb", 1e6},
      {"gb", 1e9},
      {"tb", 1e12},
      {"kib", 1024.0},
      {"mib", 1048576.0},
      {"gib", 1073741824.0},
      {"tib", 1099511627776.0},
      {"k", 1024.0},
      {"m", 1048576.0},
      {"g", 1073741824.0},
      {"t", 1099511627776.0},
  }};
  const std::string u = Lower(unit);
  for (const auto& [name, factor] : kUnits) {
    if (u != name) continue;
    const double value = std::stod(std::string(number)) * factor;
    if (!std::isfinite(value) || value >= 1.8e19) return bad();
    return static_cast<std::uint64_t>(std::llround(value));
  }
  return bad();
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  auto [number, unit] = SplitNumber(Trim(text));
  auto bad = [&] {
    return Fail(Errc::kInvalidInput, "invalid duration '" + std::string(text) + "'",
                "invalid duration '" + std::string(text) + "' (use e.g. 250ms, 30s, 15min, 2h)");
  };
  if (number.empty() || number.find('.') != std::string_view::npos || number.size() > 12) {
    return bad();
  }
  const std::int64_t n = std::stoll(std::string(number));
  const std::string u = Lower(unit);
  static constexpr std::array<std::pair<std::string_view, std::int64_t>, 8> kUnits{{
      {"ms", 1},
      {"", 1000},
      {"s", 1000},
      {"sec", 1000},
      {"m", 60'000},
      {"min", 60'000},
      {"h", 3'600'000},
      {"d", 86'400'000},
  }};
  for (const auto& [name, factor] : kUnits) {
    if (u != name) continue;
    if (n > std::numeric_limits<std::int64_t>::max() / factor) return bad();
    return std::chrono::milliseconds(n * factor);
  }
  return bad();
}

std::string FormatSize(std::uint64_t bytes) {
  if (bytes == 0) return "0";
  static constexpr std::array<std::pair<const char*, std::uint64_t>, 4> kUnits{{
      {"TiB", 1ULL << 40},
      {"GiB", 1ULL << 30},
      {"MiB", 1ULL << 20},
      {"KiB", 1ULL << 10},
  }};
  for (const auto& [name, factor] : kUnits) {
    if (bytes % factor == 0) return std::to_string(bytes / factor) + name;
  }
  return std::to_string(bytes) + "B";
}

std::string FormatDuration(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "min";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace regie
