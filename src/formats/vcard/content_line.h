// Internal to formats/vcard, not part of its contract: the content-line layer of RFC 6350 §3.2-3.3
// (RFC 2426 §4 for 3.0) that the parser, the splitter and the renderer share. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "formats/vcard/vcard.h"

namespace regie::formats::vcard::internal {

// A kForbidden error with {kCardDavNs, "valid-address-data"}; detail "line N: what" (no "line"
// part when line is 0).
tl::unexpected<Error> Invalid(std::size_t line, std::string_view what);

// One logical line after unfolding.
struct Line {
  std::size_t number = 0;  // Physical line (1-based) where the logical line starts.
  std::string text;        // Without its line end.
};

// Unfolds `text`: CRLF or a bare LF ends a line, unless one space or tab follows, which continues
// it (RFC 6350 §3.2). Bytes are joined before UTF-8 is checked, since a fold may split a sequence.
// Errors (valid-address-data): a CR not followed by LF, a control character other than tab,
// invalid UTF-8, a logical line longer than max_line_bytes. Line numbers start at first_line.
Result<std::vector<Line>> Unfold(std::string_view text, std::size_t first_line,
                                 std::size_t max_line_bytes);

// One parsed content line.
struct ContentLine {
  Property property;
  // A 3.0-style parameter without "=" ("TEL;WORK:…"), kept as a TYPE value; vCard 4.0 refuses it.
  bool bare_type = false;
};

// Parses [group "."] name *(";" param) ":" value. Parameters of the same name are merged into one
// Parameter; values are unquoted and RFC 6868 caret escapes decoded. At most max_params
// parameters. Errors (valid-address-data) name the line and the problem.
Result<ContentLine> ParseContentLine(const Line& line, std::size_t max_params);

// Appends `line` folded at 75 octets (never inside a UTF-8 sequence) with CRLF line ends.
void AppendFolded(std::string_view line, std::string& out);

// Whether two ASCII names are equal ignoring case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace regie::formats::vcard::internal
