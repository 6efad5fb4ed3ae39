// Fuzz target for the vCard parser: the bytes go to Vcard::Parse under small limits and, on
// success, through a filter and a partial Render; SplitVcards gets them as a whole export.
// Besides crashes, hangs and sanitizer reports it checks what the module promises on success.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/check.h"
#include "formats/vcard/vcard.h"

namespace {

namespace vcard = regie::formats::vcard;
namespace text = regie::formats::text;

// FN has "straße" (Unicode) and no TYPE, or an EMAIL not typed work, or there is no N.
vcard::CardFilter MakeFilter() {
  vcard::PropFilter fn;
  fn.name = "FN";
  fn.test = vcard::Test::kAllOf;
  fn.text_matches.push_back({.text = "stra\xC3\x9F"
                                     "e",
                             .collation = text::Collation::kUnicodeCasemap});
  fn.params.push_back({"TYPE", true, std::nullopt});
  vcard::PropFilter email;
  email.name = "EMAIL";
  email.params.push_back(
      {"TYPE", false,
       text::TextMatch{.text = "work", .match = text::MatchType::kEquals, .negate = true}});
  vcard::PropFilter no_n;
  no_n.name = "N";
  no_n.is_not_defined = true;
  vcard::CardFilter filter;
  filter.props = {fn, email, no_n};
  return filter;
}

const vcard::CardFilter& Filter() {
  static const vcard::CardFilter filter = MakeFilter();
  return filter;
}

vcard::AddressDataRequest Partial() {
  vcard::AddressDataRequest request;
  request.all_props = false;
  request.props = {"EMAIL", "ADR"};
  return request;
}

void CheckCard(const vcard::Vcard& card) {
  REGIE_CHECK(card.version() == "3.0" || card.version() == "4.0", "only 3.0 and 4.0 parse");
  REGIE_CHECK(!card.uid().empty(), "Parse requires a UID");
  (void)card.Matches(Filter());
  const std::string partial = card.Render(Partial());
  for (std::size_t start = 0; start < partial.size();) {
    const std::size_t end = partial.find("\r\n", start);
    REGIE_CHECK(end != std::string::npos && end - start <= 75, "rendered lines are folded");
    start = end + 2;
  }
  auto again = vcard::Vcard::Parse(partial, {});
  REGIE_CHECK(again.has_value(), "a partial rendering is a valid vCard");
  REGIE_CHECK(again->uid() == card.uid(), "a partial rendering keeps the UID");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const vcard::VcardLimits limits{
      .max_bytes = 64 * 1024, .max_properties = 64, .max_params = 8, .max_line_bytes = 4096};
  if (auto card = vcard::Vcard::Parse(input, limits)) CheckCard(*card);
  const auto split = vcard::SplitVcards(input, limits);
  for (const auto& one : split.cards) {
    REGIE_CHECK(vcard::Vcard::Parse(one.text, limits, vcard::UidRule::kOptional).has_value(),
                "every card SplitVcards keeps parses on its own");
  }
  return 0;
}
