// CardDAV REPORT bodies (RFC 6352 §8.6, §8.7) and DAV:sync-collection on address books
// (RFC 6578). Elements these parsers do not know are skipped, as RFC 4918 §17 asks of extensions.
#include "base/check.h"
#include "proto/carddav/carddav_requests.h"
#include "proto/carddav/carddav_xml.h"
#include "proto/dav/request_xml.h"

namespace regie::proto::carddav {
namespace {

using dav::detail::BadBody;
using formats::vcard::AddressDataRequest;
using formats::xml::XmlElement;
using formats::xml::XmlLimits;

// The properties a query or multiget asks for, and the address-data among them.
Result<void> ParseWanted(const XmlElement& root, dav::PropfindRequest& props,
                         std::optional<AddressDataRequest>& data) {
  auto choice = dav::detail::ParsePropChoice(root);
  if (!choice) return Fail(choice.error());
  props = std::move(*choice);
  auto found = detail::FindAddressData(root.Find(dav::kDavNs, "prop"));
  if (!found) return Fail(found.error());
  data = std::move(*found);
  return Ok();
}

// §10.3: addressbook-query ((DAV:allprop | DAV:propname | DAV:prop)?, filter, limit?)
Result<AddressbookQuery> ParseQuery(const XmlElement& root) {
  AddressbookQuery query;
  if (auto wanted = ParseWanted(root, query.props, query.data); !wanted) {
    return Fail(wanted.error());
  }
  const XmlElement* filter = root.Find(kCardDavNs, "filter");
  if (filter == nullptr) return BadBody("CARDDAV:addressbook-query needs CARDDAV:filter");
  auto parsed = detail::ParseFilter(*filter);
  if (!parsed) return Fail(parsed.error());
  query.filter = std::move(*parsed);
  auto limit = dav::detail::ParseLimit(root, kCardDavNs, "CARDDAV");
  if (!limit) return Fail(limit.error());
  query.limit = *limit;
  return query;
}

// §10.7: addressbook-multiget ((DAV:allprop | DAV:propname | DAV:prop)?, DAV:href+)
Result<AddressbookMultiget> ParseMultiget(const XmlElement& root) {
  AddressbookMultiget multiget;
  if (auto wanted = ParseWanted(root, multiget.props, multiget.data); !wanted) {
    return Fail(wanted.error());
  }
  for (const XmlElement& child : root.children) {
    if (!child.Is(dav::kDavNs, "href")) continue;
    const std::string_view href = dav::detail::TrimXmlSpace(child.text);
    if (href.empty()) return BadBody("DAV:href must not be empty");
    multiget.hrefs.emplace_back(href);
  }
  if (multiget.hrefs.empty()) return BadBody("CARDDAV:addressbook-multiget needs a DAV:href");
  return multiget;
}

// proto/dav owns the sync-collection grammar, so the (bounded) body is parsed a second time
// there; this adds the address-data its DAV:prop may name.
Result<AddressbookSyncCollection> ParseSync(std::string_view body, const XmlElement& root,
                                            const XmlLimits& limits) {
  auto report = dav::ParseReport(body, limits);
  if (!report) return Fail(report.error());
  auto* sync = std::get_if<dav::SyncCollectionRequest>(&*report);
  REGIE_CHECK(sync != nullptr, "a DAV:sync-collection root parses as a sync-collection");
  auto data = detail::FindAddressData(root.Find(dav::kDavNs, "prop"));
  if (!data) return Fail(data.error());
  return AddressbookSyncCollection{std::move(*sync), std::move(*data)};
}

template <typename T>
Result<AddressbookReport> AsReport(Result<T> parsed) {
  if (!parsed) return Fail(parsed.error());
  return AddressbookReport(std::move(*parsed));
}

}  // namespace

Result<AddressbookReport> ParseAddressbookReport(std::string_view body, const XmlLimits& limits) {
  // RFC 3253 §3.6: the body's root element names the report, so there is no REPORT without one.
  if (dav::detail::IsBlankBody(body)) return BadBody("REPORT needs a body");
  auto root = formats::xml::ParseXml(body, limits);
  if (!root) return Fail(root.error());
  if (root->Is(kCardDavNs, "addressbook-query")) return AsReport(ParseQuery(*root));
  if (root->Is(kCardDavNs, "addressbook-multiget")) return AsReport(ParseMultiget(*root));
  if (root->Is(dav::kDavNs, "sync-collection")) return AsReport(ParseSync(body, *root, limits));
  return dav::UnknownReport{root->name};
}

}  // namespace regie::proto::carddav
