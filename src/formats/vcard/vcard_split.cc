// Cutting a whole .vcf (Google, Apple and Outlook exports) into single vCards.
#include <algorithm>
#include <optional>

#include "formats/vcard/content_line.h"
#include "formats/vcard/vcard.h"
#include "formats/vcard/vcard_parser.h"

namespace regie::formats::vcard {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

struct OpenCard {
  std::size_t number = 0;  // 1-based, counting every BEGIN:VCARD.
  std::size_t line = 0;    // Where its BEGIN:VCARD is.
  std::size_t offset = 0;  // Byte offset of that line.
};

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string Refusal(const OpenCard& card, std::string_view why) {
  return "card " + std::to_string(card.number) + " (line " + std::to_string(card.line) +
         "): " + std::string(why);
}

void Finish(std::string_view text, const OpenCard& card, std::size_t end, const VcardLimits& limits,
            SplitCards& out) {
  const std::string_view slice = text.substr(card.offset, end - card.offset);
  auto parsed = VcardParser::Parse(slice, limits, UidRule::kOptional, card.line);
  if (!parsed) {
    out.refused.push_back(Refusal(card, parsed.error().detail));
    return;
  }
  out.cards.push_back(SplitCard{.uid = parsed->uid(), .text = std::string(slice)});
}

}  // namespace

// Cards are cut at BEGIN:VCARD and END:VCARD lines (a folded line starts with white space, so it
// never looks like one). A BEGIN:VCARD inside a card starts a new card and refuses the open one:
// one card that lost its END:VCARD then costs that card, not every card after it.
SplitCards SplitVcards(std::string_view text, const VcardLimits& limits) {
  SplitCards out;
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  std::optional<OpenCard> card;
  std::size_t count = 0;
  bool in_stray_text = false;  // Stray text is reported once per run of lines, not per line.
  std::size_t number = 1;
  for (std::size_t start = 0; start < text.size(); ++number) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::size_t next = end < text.size() ? end + 1 : end;
    const std::string_view line = TrimRight(text.substr(start, end - start));
    const bool begin = internal::EqualsIgnoreCase(line, "BEGIN:VCARD");
    if (begin) {
      if (card) out.refused.push_back(Refusal(*card, "BEGIN:VCARD before its END:VCARD"));
      card = OpenCard{.number = ++count, .line = number, .offset = start};
      in_stray_text = false;
    } else if (card && internal::EqualsIgnoreCase(line, "END:VCARD")) {
      Finish(text, *card, next, limits, out);
      card.reset();
    } else if (!card && line.find_first_not_of(" \t") != std::string_view::npos && !in_stray_text) {
      out.refused.push_back("line " + std::to_string(number) +
                            ": text outside BEGIN:VCARD … END:VCARD");
      in_stray_text = true;
    }
    start = next;
  }
  if (card) out.refused.push_back(Refusal(*card, "BEGIN:VCARD without END:VCARD"));
  return out;
}

}  // namespace regie::formats::vcard
