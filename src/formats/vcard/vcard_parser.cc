// Validation of one vCard: its frame (BEGIN/END), VERSION, the properties RFC 6350 and RFC 6352
// require, and inline binary values. The content-line grammar lives in content_line.cc.
#include "formats/vcard/vcard_parser.h"

#include <algorithm>

#include "formats/vcard/content_line.h"
#include "formats/vcard/values.h"

namespace regie::formats::vcard {
namespace {

using internal::EqualsIgnoreCase;
using internal::Invalid;
using internal::Line;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

struct Entry {
  internal::ContentLine content;
  std::size_t number = 0;
  std::string raw;  // The unfolded line, for Render.
};

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string_view Trim(std::string_view s) {
  s = TrimRight(s);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool IsMarker(const Line& line, std::string_view marker) {
  return EqualsIgnoreCase(TrimRight(line.text), marker);
}

tl::unexpected<Error> Unsupported(std::size_t line, std::string_view version) {
  // The detail may reach the client: echo the version only when it is short, printable ASCII.
  const bool printable =
      version.size() <= 8 &&
      std::all_of(version.begin(), version.end(), [](char c) { return c > 32 && c < 127; });
  std::string detail = "line " + std::to_string(line) + ": vCard version " +
                       (printable ? std::string(version) : "given") +
                       " is not supported (3.0 and 4.0 are)";
  return Fail(Errc::kForbidden, "vcard: " + detail, detail,
              QName{std::string(kCardDavNs), "supported-address-data"});
}

// Reads the first VERSION line from the raw text before anything else, so that a 2.1 card is
// answered with supported-address-data rather than with whichever 2.1-ism (quoted-printable
// soft breaks, 8-bit charsets) the parser would stumble on first.
Result<void> CheckVersionFirst(std::string_view text, std::size_t first_line) {
  std::size_t number = first_line;
  for (std::size_t start = 0; start < text.size(); ++number) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = TrimRight(text.substr(start, end - start));
    if (StartsWithIgnoreCase(line, "VERSION:")) {
      const std::string_view version = Trim(line.substr(8));
      if (version != "3.0" && version != "4.0") return Unsupported(number, version);
      return Ok();
    }
    start = end + 1;
  }
  return Ok();
}

// RFC 6352 §5.1: an address object resource holds exactly one vCard. Blank lines are gone.
Result<void> CheckFrame(const std::vector<Line>& lines) {
  if (lines.empty()) return Invalid(0, "no vCard: the text is empty");
  if (!IsMarker(lines.front(), "BEGIN:VCARD")) {
    return Invalid(lines.front().number, "expected BEGIN:VCARD");
  }
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    if (IsMarker(lines[i], "BEGIN:VCARD")) {
      return Invalid(lines[i].number,
                     "BEGIN:VCARD inside a vCard (a nested AGENT vCard must be an escaped value)");
    }
    if (IsMarker(lines[i], "END:VCARD")) {
      const Line& next = lines[i + 1];
      return Invalid(next.number, IsMarker(next, "BEGIN:VCARD")
                                      ? "a second vCard (an address object holds one)"
                                      : "text after END:VCARD");
    }
  }
  if (lines.size() < 2 || !IsMarker(lines.back(), "END:VCARD")) {
    return Invalid(lines.back().number, "END:VCARD missing at the end");
  }
  return Ok();
}

Result<std::vector<Entry>> ParseEntries(std::vector<Line>& lines, const VcardLimits& limits) {
  if (lines.size() - 2 > limits.max_properties) {
    return Invalid(lines[limits.max_properties + 1].number,
                   "more than " + std::to_string(limits.max_properties) + " properties");
  }
  std::vector<Entry> entries;
  entries.reserve(lines.size() - 2);
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    auto content = internal::ParseContentLine(lines[i], limits.max_params);
    if (!content) return Fail(content.error());
    entries.push_back(Entry{std::move(*content), lines[i].number, std::move(lines[i].text)});
  }
  return entries;
}

// The one entry named `name`, nullptr when there is none, or an error when there are two.
Result<const Entry*> FindSingle(const std::vector<Entry>& entries, std::string_view name) {
  const Entry* found = nullptr;
  for (const auto& entry : entries) {
    if (entry.content.property.name != name) continue;
    if (found) return Invalid(entry.number, std::string(name) + " given twice");
    found = &entry;
  }
  return found;
}

Result<std::string> CheckVersion(const std::vector<Entry>& entries) {
  auto version = FindSingle(entries, "VERSION");
  if (!version) return Fail(version.error());
  if (!*version) return Invalid(0, "VERSION missing");
  const std::string_view value = Trim((*version)->content.property.value);
  if (value != "3.0" && value != "4.0") return Unsupported((*version)->number, value);
  if (value == "4.0") {
    for (const auto& entry : entries) {
      if (entry.content.bare_type) {
        return Invalid(entry.number, "parameter without '=' (vCard 4.0 has no bare TYPE values)");
      }
    }
  }
  return std::string(value);
}

const Parameter* FindParam(const Property& property, std::string_view name) {
  for (const auto& param : property.params) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

// RFC 2426 §5: 3.0 marks inline binary with ENCODING=b; many writers say BASE64.
Result<void> CheckEncoding(const Entry& entry) {
  const Property& property = entry.content.property;
  const Parameter* encoding = FindParam(property, "ENCODING");
  if (!encoding) return Ok();
  std::string_view value;  // Not a ?: with "": that would view a temporary std::string.
  if (encoding->values.size() == 1) value = encoding->values[0];
  if (EqualsIgnoreCase(value, "B") || EqualsIgnoreCase(value, "BASE64")) {
    if (internal::IsBase64(property.value)) return Ok();
    return Invalid(entry.number, property.name + ": invalid base64");
  }
  if (EqualsIgnoreCase(value, "QUOTED-PRINTABLE")) {
    return Invalid(entry.number, "ENCODING=QUOTED-PRINTABLE is vCard 2.1 (3.0 and 4.0 use b)");
  }
  if (EqualsIgnoreCase(value, "8BIT") || EqualsIgnoreCase(value, "7BIT")) return Ok();
  return Invalid(entry.number, "unknown ENCODING of " + property.name);
}

// RFC 6350 §6.2.4: 4.0 puts inline photos in data: URIs (RFC 2397); their base64 is checked
// like 3.0's. Other URIs (http:, cid:) are kept as they are.
Result<void> CheckDataUri(const Entry& entry) {
  const Property& property = entry.content.property;
  const std::string_view name = property.name;
  if (name != "PHOTO" && name != "LOGO" && name != "SOUND" && name != "KEY") return Ok();
  const std::string_view value = property.value;
  if (!StartsWithIgnoreCase(value, "data:")) return Ok();
  const std::size_t comma = value.find(',');
  if (comma == std::string_view::npos)
    return Invalid(entry.number, property.name + ": data: URI without ','");
  const std::string_view header = value.substr(0, comma);
  const bool base64 =
      header.size() >= 7 && EqualsIgnoreCase(header.substr(header.size() - 7), ";base64");
  if (base64 && !internal::IsBase64(value.substr(comma + 1))) {
    return Invalid(entry.number, property.name + ": invalid base64 in its data: URI");
  }
  return Ok();
}

struct Required {
  const Entry* fn = nullptr;
  const Entry* uid = nullptr;
};

// RFC 6350 §6.2.1 and RFC 2426 §3.1.1 require FN. 3.0 also requires N, but cards without it are
// common (companies, Outlook exports) and FN is what clients show, so N is not required.
Result<Required> CheckRequired(const std::vector<Entry>& entries, UidRule uid_rule) {
  Required found;
  const auto fn = std::find_if(entries.begin(), entries.end(),
                               [](const Entry& e) { return e.content.property.name == "FN"; });
  if (fn == entries.end()) return Invalid(0, "FN missing");
  found.fn = &*fn;
  auto uid = FindSingle(entries, "UID");
  if (!uid) return Fail(uid.error());
  found.uid = *uid;
  if (found.uid && Trim(found.uid->content.property.value).empty()) {
    return Invalid(found.uid->number, "UID is empty");
  }
  if (!found.uid && uid_rule == UidRule::kRequired) {
    return Invalid(0, "UID missing (a stored vCard needs one, RFC 6352 §5.1)");
  }
  return found;
}

}  // namespace

Result<Vcard> VcardParser::Parse(std::string_view text, const VcardLimits& limits, UidRule uid_rule,
                                 std::size_t first_line) {
  if (text.size() > limits.max_bytes) {
    const std::string detail =
        "the vCard is larger than " + std::to_string(limits.max_bytes) + " bytes";
    return Fail(Errc::kTooLarge, "vcard: " + detail, detail,
                QName{std::string(kCardDavNs), "max-resource-size"});
  }
  std::string_view body = text;
  if (body.starts_with(kByteOrderMark)) body.remove_prefix(kByteOrderMark.size());
  if (auto ok = CheckVersionFirst(body, first_line); !ok) return Fail(ok.error());
  auto lines = internal::Unfold(body, first_line, limits.max_line_bytes);
  if (!lines) return Fail(lines.error());
  std::erase_if(*lines, [](const Line& line) { return Trim(line.text).empty(); });
  if (auto ok = CheckFrame(*lines); !ok) return Fail(ok.error());
  auto entries = ParseEntries(*lines, limits);
  if (!entries) return Fail(entries.error());
  auto version = CheckVersion(*entries);
  if (!version) return Fail(version.error());
  for (const auto& entry : *entries) {
    if (auto ok = CheckEncoding(entry); !ok) return Fail(ok.error());
    if (auto ok = CheckDataUri(entry); !ok) return Fail(ok.error());
  }
  auto required = CheckRequired(*entries, uid_rule);
  if (!required) return Fail(required.error());
  Vcard card;
  card.version_ = std::move(*version);
  card.uid_ = required->uid ? required->uid->content.property.value : std::string();
  card.formatted_name_ = required->fn->content.property.text();
  card.text_ = std::string(text);
  card.properties_.reserve(entries->size());
  card.lines_.reserve(entries->size());
  for (auto& entry : *entries) {
    card.properties_.push_back(std::move(entry.content.property));
    card.lines_.push_back(std::move(entry.raw));
  }
  return card;
}

}  // namespace regie::formats::vcard
