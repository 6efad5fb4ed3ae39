// Line folding both ways (RFC 6350 §3.2) and the byte-level checks of a logical line.
#include <algorithm>
#include <cstdio>

#include "formats/vcard/content_line.h"

namespace regie::formats::vcard::internal {
namespace {

constexpr std::size_t kFoldOctets = 75;  // RFC 6350 §3.2: "SHOULD NOT be longer than 75 octets".

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

bool InRange(char c, unsigned char lo, unsigned char hi) {
  const auto b = static_cast<unsigned char>(c);
  return b >= lo && b <= hi;
}

// Length of the well-formed UTF-8 sequence (RFC 3629 §4: no overlongs, surrogates or values
// above U+10FFFF) that starts at s[i], or 0 when there is none.
std::size_t SequenceLength(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  std::size_t length = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    length = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    length = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    length = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + length > s.size() || !InRange(s[i + 1], lo, hi)) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (!InRange(s[i + k], 0x80, 0xBF)) return 0;
  }
  return length;
}

// RFC 6350 §3.3 allows no control characters but HTAB in a content line; a NUL or ESC in a
// stored card would reach every client that syncs it.
Result<void> CheckBytes(const Line& line) {
  const std::string_view s = line.text;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 && b != '\t') {
      char what[40];
      std::snprintf(what, sizeof what, "control character 0x%02X", static_cast<unsigned>(b));
      return Invalid(line.number, what);
    }
    const std::size_t length = SequenceLength(s, i);
    if (length == 0) return Invalid(line.number, "invalid UTF-8");
    i += length;
  }
  return Ok();
}

}  // namespace

Result<std::vector<Line>> Unfold(std::string_view text, std::size_t first_line,
                                 std::size_t max_line_bytes) {
  std::vector<Line> lines;
  std::size_t physical = first_line;
  std::size_t i = 0;
  while (i < text.size()) {
    Line line{.number = physical, .text = {}};
    for (;;) {
      const std::size_t end = std::min(text.find_first_of("\r\n", i), text.size());
      line.text.append(text.substr(i, end - i));
      if (line.text.size() > max_line_bytes) {
        return Invalid(line.number,
                       "content line longer than " + std::to_string(max_line_bytes) + " bytes");
      }
      i = end;
      if (i == text.size()) break;
      // A lone CR is neither a line end nor allowed text; refusing it keeps the line numbers the
      // client sees and ours the same.
      if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) {
        return Invalid(physical, "CR without LF");
      }
      i += text[i] == '\r' ? 2 : 1;
      ++physical;
      if (i == text.size() || (text[i] != ' ' && text[i] != '\t')) break;
      ++i;  // Exactly one white space character belongs to the fold.
    }
    if (auto ok = CheckBytes(line); !ok) return Fail(ok.error());
    lines.push_back(std::move(line));
  }
  return lines;
}

void AppendFolded(std::string_view line, std::string& out) {
  std::size_t pos = 0;
  std::size_t room = kFoldOctets;
  while (line.size() - pos > room) {
    std::size_t cut = pos + room;
    while (cut > pos && IsContinuationByte(line[cut])) --cut;
    if (cut == pos) cut = pos + room;  // Not UTF-8 after all: octets are all we can keep to.
    out.append(line.substr(pos, cut - pos));
    out.append("\r\n ");
    pos = cut;
    room = kFoldOctets - 1;  // The leading space counts towards the 75 octets.
  }
  out.append(line.substr(pos));
  out.append("\r\n");
}

}  // namespace regie::formats::vcard::internal
