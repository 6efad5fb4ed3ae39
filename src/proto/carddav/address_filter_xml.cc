// CARDDAV:filter (RFC 6352 §10.5) and CARDDAV:address-data (§10.4). The DTD's shape is enforced
// with 400s; collations and media types the server lacks are the §8.6 preconditions.
#include "proto/carddav/carddav_requests.h"
#include "proto/carddav/carddav_xml.h"
#include "proto/dav/request_xml.h"

namespace regie::proto::carddav::detail {
namespace {

using dav::detail::Attribute;
using dav::detail::BadBody;
using formats::vcard::AddressDataRequest;
using formats::vcard::CardFilter;
using formats::vcard::ParamFilter;
using formats::vcard::PropFilter;
using formats::vcard::Test;
using formats::xml::XmlElement;

tl::unexpected<Error> Precondition(std::string_view condition, const std::string& detail) {
  return Fail(Errc::kForbidden, "carddav request body: " + detail, detail,
              QName{std::string(kCardDavNs), std::string(condition)});
}

// vCard names are case-insensitive (RFC 6350 §3.3) and compared upper-cased.
std::string UpperAscii(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Result<std::string> RequiredName(const XmlElement& e, std::string_view what) {
  const std::string* name = Attribute(e, "name");
  if (name == nullptr || name->empty()) return BadBody(std::string(what) + " needs a name");
  return UpperAscii(*name);
}

Result<Test> ParseTest(const XmlElement& e, std::string_view what) {
  const std::string* test = Attribute(e, "test");
  if (test == nullptr || *test == "anyof") return Test::kAnyOf;
  if (*test == "allof") return Test::kAllOf;
  return BadBody(std::string(what) + " test must be anyof or allof");
}

// §10.5.4: unlike CalDAV, CardDAV's default collation is i;unicode-casemap.
Result<formats::text::TextMatch> ParseTextMatch(const XmlElement& e) {
  return dav::detail::ParseTextMatch(
      e, {.text = {}, .collation = formats::text::Collation::kUnicodeCasemap}, kCardDavNs,
      "CARDDAV");
}

// §10.5.2: param-filter (is-not-defined | text-match)?
Result<ParamFilter> ParseParamFilter(const XmlElement& e) {
  auto name = RequiredName(e, "CARDDAV:param-filter");
  if (!name) return Fail(name.error());
  ParamFilter filter{*name, e.Find(kCardDavNs, "is-not-defined") != nullptr, std::nullopt};
  if (const XmlElement* text = e.Find(kCardDavNs, "text-match")) {
    if (filter.is_not_defined) return BadBody("CARDDAV:is-not-defined stands alone");
    auto match = ParseTextMatch(*text);
    if (!match) return Fail(match.error());
    filter.text_match = std::move(*match);
  }
  return filter;
}

// §10.5.1: prop-filter (is-not-defined | (text-match*, param-filter*))
Result<PropFilter> ParsePropFilter(const XmlElement& e) {
  auto name = RequiredName(e, "CARDDAV:prop-filter");
  if (!name) return Fail(name.error());
  auto test = ParseTest(e, "CARDDAV:prop-filter");
  if (!test) return Fail(test.error());
  PropFilter filter;
  filter.name = std::move(*name);
  filter.test = *test;
  filter.is_not_defined = e.Find(kCardDavNs, "is-not-defined") != nullptr;
  for (const XmlElement& child : e.children) {
    if (child.Is(kCardDavNs, "text-match")) {
      auto match = ParseTextMatch(child);
      if (!match) return Fail(match.error());
      filter.text_matches.push_back(std::move(*match));
    } else if (child.Is(kCardDavNs, "param-filter")) {
      auto param = ParseParamFilter(child);
      if (!param) return Fail(param.error());
      filter.params.push_back(std::move(*param));
    }
  }
  if (filter.is_not_defined && (!filter.text_matches.empty() || !filter.params.empty())) {
    return BadBody("CARDDAV:is-not-defined stands alone");
  }
  return filter;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && UpperAscii(a) == UpperAscii(b);
}

// §10.4: content-type defaults to text/vcard and version to 3.0. 4.0 (RFC 6350) is accepted:
// formats/vcard serves either. Media type parameters ("; charset=utf-8") change nothing.
Result<void> CheckMediaType(const XmlElement& e) {
  const std::string* type = Attribute(e, "content-type");
  const std::string* version = Attribute(e, "version");
  std::string_view media = type == nullptr ? "text/vcard" : std::string_view(*type);
  media = dav::detail::TrimXmlSpace(media.substr(0, media.find(';')));
  const std::string_view v = version == nullptr ? "3.0" : dav::detail::TrimXmlSpace(*version);
  if (!EqualsIgnoringAsciiCase(media, "text/vcard") || (v != "3.0" && v != "4.0")) {
    return Precondition("supported-address-data", "only text/vcard 3.0 and 4.0 are supported");
  }
  return Ok();
}

// §10.4: address-data (allprop | prop*); listing no prop returns every property.
Result<AddressDataRequest> ParseAddressData(const XmlElement& e) {
  if (auto supported = CheckMediaType(e); !supported) return Fail(supported.error());
  AddressDataRequest request;
  // content_type keeps its default: CheckMediaType let only text/vcard through.
  if (const std::string* version = Attribute(e, "version")) {
    request.version = std::string(dav::detail::TrimXmlSpace(*version));
  }
  for (const XmlElement& child : e.children) {
    if (!child.Is(kCardDavNs, "prop")) continue;
    auto name = RequiredName(child, "CARDDAV:prop");
    if (!name) return Fail(name.error());
    request.props.push_back(std::move(*name));
  }
  if (e.Find(kCardDavNs, "allprop") != nullptr && !request.props.empty()) {
    return BadBody("CARDDAV:allprop excludes CARDDAV:prop");
  }
  request.all_props = request.props.empty();
  return request;
}

}  // namespace

Result<CardFilter> ParseFilter(const XmlElement& filter) {
  auto test = ParseTest(filter, "CARDDAV:filter");
  if (!test) return Fail(test.error());
  CardFilter parsed;
  parsed.test = *test;
  for (const XmlElement& child : filter.children) {
    if (!child.Is(kCardDavNs, "prop-filter")) continue;
    auto prop = ParsePropFilter(child);
    if (!prop) return Fail(prop.error());
    parsed.props.push_back(std::move(*prop));
  }
  return parsed;
}

Result<std::optional<AddressDataRequest>> FindAddressData(const XmlElement* prop) {
  const XmlElement* data = prop == nullptr ? nullptr : prop->Find(kCardDavNs, "address-data");
  if (data == nullptr) return std::optional<AddressDataRequest>();
  auto request = ParseAddressData(*data);
  if (!request) return Fail(request.error());
  return std::optional<AddressDataRequest>(std::move(*request));
}

}  // namespace regie::proto::carddav::detail
