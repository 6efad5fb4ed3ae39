// vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) address object resources, parsed and validated by our
// own parser: content lines with folding, groups, parameters (quoted, multi-valued, RFC 6868
// caret escapes), value escaping, inline (base64 / data: URI) and URI photos. Evaluates
// addressbook-query filters (RFC 6352 §10.5) and renders address-data (§10.4).
// Pure values; thread-safe for concurrent reads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "formats/vcard/card_filter.h"

namespace regie::formats::vcard {

inline constexpr std::string_view kCardDavNs = "urn:ietf:params:xml:ns:carddav";

struct VcardLimits {
  std::size_t max_bytes = std::size_t{1} << 20;  // CARDDAV:max-resource-size.
  std::size_t max_properties = 5000;
  std::size_t max_params = 100;          // Per property.
  std::size_t max_line_bytes = 1 << 20;  // One unfolded content line (a photo can be large).
};

struct Parameter {
  std::string name;                 // Upper case.
  std::vector<std::string> values;  // Unquoted, RFC 6868 escapes decoded; TYPE=a,b gives two.
};

struct Property {
  std::string group;  // "item1" in "item1.EMAIL"; empty without a group.
  std::string name;   // Upper case.
  std::vector<Parameter> params;
  std::string value;  // As on the wire after unfolding (escapes kept: structured values use ;).
  // The value as text for matching: escapes (\n \, \; \\) decoded, components joined by ' '.
  std::string text() const;
};

// Whether Parse requires a UID: a stored address object resource needs one (RFC 6352 §5.1); an
// import may assign one to a card that has none.
enum class UidRule { kRequired, kOptional };

class VcardParser;

class Vcard {
 public:
  // Parses one vCard (BEGIN:VCARD … END:VCARD, nothing but white space around it). Errors, with
  // Error::detail saying where and why ("line 4: parameter without '='"): kForbidden with
  // condition {kCardDavNs, "valid-address-data"} for malformed input, a missing VERSION, FN or
  // UID (UID is required for a stored address object resource, RFC 6352 §5.1), or a VERSION
  // other than 3.0 and 4.0 ({kCardDavNs, "supported-address-data"}); kTooLarge with
  // {kCardDavNs, "max-resource-size"} beyond max_bytes. The other limits (properties, parameters,
  // line length) are refused as valid-address-data, naming the limit. Tolerated: bare LF line
  // ends, blank lines, a leading byte order mark, a 3.0 card without N (FN is what clients show),
  // 3.0 bare TYPE values. Refused: a CR without LF, control characters, invalid UTF-8, invalid
  // base64 in an inline photo, 2.1's quoted-printable, a second vCard or an unescaped nested one.
  static Result<Vcard> Parse(std::string_view text, const VcardLimits& limits);
  // The same, with UidRule::kOptional accepting a card without UID (uid() is then empty).
  static Result<Vcard> Parse(std::string_view text, const VcardLimits& limits, UidRule uid_rule);

  const std::string& version() const;  // "3.0" or "4.0"
  const std::string& uid() const;
  const std::string& formatted_name() const;        // FN, as text.
  const std::vector<Property>& properties() const;  // In order, BEGIN/END excluded.

  // Whether the card matches an addressbook-query filter (RFC 6352 §10.5). A prop-filter's
  // conditions must hold for one instance of the property (allof on EMAIL needs one address that
  // meets them all); groups are ignored. A text-match sees text() and, for structured and list
  // values (N, ADR, ORG, CATEGORIES, …), each component, so "equals" works on one part.
  // negate-condition negates the whole: a TYPE=home,pref parameter does not match "not pref".
  bool Matches(const CardFilter& filter) const;
  // The address-data to return: the card with only the requested properties (VERSION, UID and
  // FN are always kept, as RFC 6352 §10.4.2 asks of a valid card), folded at 75 octets with CRLF
  // line ends; each property keeps the bytes it arrived with. all_props returns the stored text.
  std::string Render(const AddressDataRequest& request) const;

 private:
  std::string version_;
  std::string uid_;
  std::string formatted_name_;
  std::vector<Property> properties_;
  std::string text_;  // The original text, returned when all properties are asked for.
  std::vector<std::string> lines_;  // The unfolded content line of each property, for Render.

  friend class VcardParser;
};

// Writes a vCard from plain values (for cards Regie makes itself, such as the directory's):
// values are escaped (RFC 6350 §3.4), lines folded at 75 octets with CRLF ends.
class CardWriter {
 public:
  explicit CardWriter(std::string_view version);  // "3.0" or "4.0": BEGIN and VERSION.
  // `params` is written as given after the name (";TYPE=work"); the value is escaped text.
  CardWriter& Text(std::string_view name, std::string_view value, std::string_view params = {});
  // A structured value (N, ADR, ORG): each component escaped, joined with ';'.
  CardWriter& Structured(std::string_view name, const std::vector<std::string>& components);
  std::string Finish();  // END:VCARD; the writer is spent.

 private:
  std::string out_;
};

// One vCard cut out of a whole .vcf (an export of many contacts).
struct SplitCard {
  std::string uid;  // Empty when the card has none (the importer then makes one).
  std::string text;
};

struct SplitCards {
  std::vector<SplitCard> cards;
  std::vector<std::string> refused;  // "card 12 (line 340): …"
};

// Splits a whole .vcf into single vCards, each checked with Vcard::Parse (a missing UID is not
// refused here: the importer assigns one). Line numbers count from the start of the file. A
// BEGIN:VCARD before the open card's END:VCARD refuses the open card and starts a new one; text
// outside cards is reported once per run of lines ("line 3: text outside …").
SplitCards SplitVcards(std::string_view text, const VcardLimits& limits);

}  // namespace regie::formats::vcard
