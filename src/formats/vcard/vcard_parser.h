// Internal to formats/vcard, not part of its contract: the parser behind Vcard::Parse and
// SplitVcards.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/result.h"
#include "formats/vcard/vcard.h"

namespace regie::formats::vcard {

class VcardParser {
 public:
  // Vcard::Parse, with line numbers in errors counted from first_line: SplitVcards passes the
  // line where the card starts in the whole file, so that its report points into that file.
  static Result<Vcard> Parse(std::string_view text, const VcardLimits& limits, UidRule uid_rule,
                             std::size_t first_line);
};

}  // namespace regie::formats::vcard
