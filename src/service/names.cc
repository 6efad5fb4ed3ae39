#include "service/names.h"

#include "formats/text/unicode.h"

namespace regie::service {

Result<std::string> NameKeyOf(std::string_view name, std::size_t max_bytes) {
  if (name.empty() || name == "." || name == "..") {
    return Fail(Errc::kInvalidInput, "invalid name", "invalid name");
  }
  if (name.size() > max_bytes) {
    return Fail(Errc::kInvalidInput, "name of " + std::to_string(name.size()) + " bytes",
                "name too long");
  }
  if (name.find('/') != std::string_view::npos || name.find('\0') != std::string_view::npos) {
    return Fail(Errc::kInvalidInput, "name with '/' or NUL", "invalid character in name");
  }
  auto key = formats::text::NormalizeNfc(name);
  if (!key) return Fail(Errc::kInvalidInput, "name is not UTF-8", "name is not valid UTF-8");
  return std::move(*key);
}

}  // namespace regie::service
