// The one rule for names of stored members (files, folders, calendars, objects). Internal to
// service/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace regie::service {

// The name's uniqueness key (its NFC), or kInvalidInput for a name that cannot be stored: empty,
// "." or "..", longer than `max_bytes`, with '/' or NUL, or not UTF-8.
Result<std::string> NameKeyOf(std::string_view name, std::size_t max_bytes);

}  // namespace regie::service
