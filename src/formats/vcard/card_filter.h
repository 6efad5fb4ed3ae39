// What a CardDAV client asks of vCards: the filter of an addressbook-query (RFC 6352 §10.5) and
// the address-data it wants back (§10.4). proto/carddav parses them from XML; Vcard evaluates and
// renders them. Plain values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "formats/text/text_match.h"

namespace regie::formats::vcard {

enum class Test { kAnyOf, kAllOf };  // The "test" attribute; anyof is the default.

// RFC 6352 §10.5.2. Names are upper case ("TYPE").
struct ParamFilter {
  std::string name;
  bool is_not_defined = false;
  std::optional<text::TextMatch> text_match;
};

// RFC 6352 §10.5.1. Without text matches and parameter filters it tests that the property
// exists (or, with is_not_defined, that it does not).
struct PropFilter {
  std::string name;  // "FN", "EMAIL", …
  Test test = Test::kAnyOf;
  bool is_not_defined = false;
  std::vector<text::TextMatch> text_matches;
  std::vector<ParamFilter> params;
};

struct CardFilter {
  Test test = Test::kAnyOf;
  std::vector<PropFilter> props;  // No filter matches every card.
};

// RFC 6352 §10.4: the CARDDAV:address-data element of a REPORT's DAV:prop.
struct AddressDataRequest {
  bool all_props = true;
  std::vector<std::string> props;  // Upper-case names when !all_props.
  std::string content_type = "text/vcard";
  std::string version = "3.0";  // The version asked for; the stored card is returned as is.
};

}  // namespace regie::formats::vcard
