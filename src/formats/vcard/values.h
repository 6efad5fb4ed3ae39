// Internal to formats/vcard, not part of its contract: how property values read as text
// (RFC 6350 §3.4 escaping, structured and list values) and the check of inline binary values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formats/vcard/vcard.h"

namespace regie::formats::vcard::internal {

// The value with \n \N \, \; \: \\ decoded; any other backslash is kept as written.
std::string Unescape(std::string_view value);

// The unescaped components of a structured (N, ADR, ORG, GENDER, GEO, CLIENTPIDMAP) or list
// (CATEGORIES, NICKNAME) value, empty ones included; a single component for any other property.
std::vector<std::string> Components(const Property& property);

// Whether `data` is base64 (RFC 4648 §4). White space is allowed, since exporters indent folded
// photos with more than the one space that unfolding removes; padding may be missing.
bool IsBase64(std::string_view data);

}  // namespace regie::formats::vcard::internal
