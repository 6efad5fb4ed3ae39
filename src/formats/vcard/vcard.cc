#include "formats/vcard/vcard.h"

#include <algorithm>

#include "formats/vcard/content_line.h"
#include "formats/vcard/vcard_parser.h"

namespace regie::formats::vcard {
namespace {

// RFC 6352 §10.4.2: a card returned in part must still be a valid vCard, which needs these.
bool AlwaysRendered(std::string_view name) {
  return name == "VERSION" || name == "UID" || name == "FN";
}

bool Requested(const AddressDataRequest& request, std::string_view name) {
  return AlwaysRendered(name) ||
         std::any_of(request.props.begin(), request.props.end(), [name](const std::string& asked) {
           return internal::EqualsIgnoreCase(asked, name);
         });
}

}  // namespace

Result<Vcard> Vcard::Parse(std::string_view text, const VcardLimits& limits) {
  return VcardParser::Parse(text, limits, UidRule::kRequired, 1);
}

Result<Vcard> Vcard::Parse(std::string_view text, const VcardLimits& limits, UidRule uid_rule) {
  return VcardParser::Parse(text, limits, uid_rule, 1);
}

const std::string& Vcard::version() const { return version_; }
const std::string& Vcard::uid() const { return uid_; }
const std::string& Vcard::formatted_name() const { return formatted_name_; }
const std::vector<Property>& Vcard::properties() const { return properties_; }

// Properties keep the bytes they arrived with (quoting, bare 3.0 types, escapes); only the
// folding is ours, so a client gets back what it stored, minus what it did not ask for.
std::string Vcard::Render(const AddressDataRequest& request) const {
  if (request.all_props) return text_;
  std::string out = "BEGIN:VCARD\r\n";
  for (std::size_t i = 0; i < properties_.size(); ++i) {
    if (Requested(request, properties_[i].name)) internal::AppendFolded(lines_[i], out);
  }
  out.append("END:VCARD\r\n");
  return out;
}

}  // namespace regie::formats::vcard
