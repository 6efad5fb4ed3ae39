// Parsing and formatting of the human units used in configuration and on the command line:
// sizes like "64MiB", "1.5GB", "4096" and durations like "30s", "15min", "250ms", "2h".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace regie {

// Accepts a non-negative number with an optional unit: B, KB/MB/GB/TB (powers of 1000),
// KiB/MiB/GiB/TiB (powers of 1024), K/M/G/T (binary, as in many tools). Case-insensitive units.
// kInvalidInput on anything else or on overflow.
Result<std::uint64_t> ParseSize(std::string_view text);

// Accepts an integer with a unit: ms, s, min (or m), h, d. A bare number means seconds.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The shortest exact rendering: 67108864 -> "64MiB", 1500 -> "1500B", 0 -> "0".
std::string FormatSize(std::uint64_t bytes);
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace regie
