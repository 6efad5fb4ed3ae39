#include "formats/text/unicode.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace regie::formats::text {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

// STABLE applies Unicode's normalisation stability policy, so a name stored today keeps its NFC
// under later Unicode versions. Without NULLTERM utf8proc reads exactly `utf8.size()` bytes.
std::optional<std::string> Map(std::string_view utf8, utf8proc_option_t options) {
  utf8proc_uint8_t* raw = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                   static_cast<utf8proc_ssize_t>(utf8.size()), &raw, options);
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(raw);
  if (n < 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(n));
}

}  // namespace

std::optional<std::string> NormalizeNfc(std::string_view utf8) {
  return Map(utf8, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
}

std::optional<std::string> CaseFold(std::string_view utf8) {
  return Map(
      utf8, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
}

}  // namespace regie::formats::text
