// The input layout of the fuzz targets that feed several request fields at once: the bytes split
// at NUL into N fields; missing fields are empty.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace regie::fuzz {

template <std::size_t N>
std::array<std::string_view, N> SplitFields(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::array<std::string_view, N> fields{};
  for (auto& field : fields) {
    const auto nul = input.find('\0');
    field = input.substr(0, nul);
    input = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
  }
  return fields;
}

}  // namespace regie::fuzz
