// Parsers of CardDAV REPORT bodies (RFC 6352 §8.6, §8.7) and of DAV:sync-collection on address
// books (RFC 6578). Each parses with formats::xml::ParseXml (DTDs refused, limits applied),
// checks the structure the RFC requires and returns plain structs; formats/vcard evaluates them.
// Address books are created with extended MKCOL and shared with the same POST bodies as
// calendars: see proto/caldav (ParseExtendedMkcol, ParseShareRequest).
//
// Errors: kInvalidInput (400) with a short client-safe detail for malformed bodies; kTooLarge
// from the XML limits; kForbidden with Error::condition set for the CardDAV preconditions of
// §8.6: {kCardDavNs, "supported-collation"} and {kCardDavNs, "supported-address-data"}.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "formats/vcard/card_filter.h"
#include "formats/vcard/vcard.h"
#include "formats/xml/xml_element.h"
#include "proto/dav/dav_requests.h"

namespace regie::proto::carddav {

using formats::vcard::kCardDavNs;  // "urn:ietf:params:xml:ns:carddav"

// RFC 6352 §8.6 CARDDAV:addressbook-query.
struct AddressbookQuery {
  dav::PropfindRequest props;  // CARDDAV:address-data stays among props.props as a name.
  // The CARDDAV:address-data element inside DAV:prop, when asked for.
  std::optional<formats::vcard::AddressDataRequest> data;
  formats::vcard::CardFilter filter;  // Without prop-filters it matches every card.
  std::optional<std::size_t> limit;   // CARDDAV:limit/CARDDAV:nresults (§8.6.1).
};

// RFC 6352 §8.7 CARDDAV:addressbook-multiget.
struct AddressbookMultiget {
  dav::PropfindRequest props;
  std::optional<formats::vcard::AddressDataRequest> data;
  std::vector<std::string> hrefs;  // As sent (trimmed); at least one.
};

// DAV:sync-collection (RFC 6578) on an address book, with the address-data its DAV:prop asks for.
struct AddressbookSyncCollection {
  dav::SyncCollectionRequest sync;
  std::optional<formats::vcard::AddressDataRequest> data;
};

using AddressbookReport = std::variant<AddressbookQuery, AddressbookMultiget,
                                       AddressbookSyncCollection, dav::UnknownReport>;

// A REPORT body on an address book or address book home. Roots other than the two CardDAV
// reports and DAV:sync-collection are UnknownReport. Filters (§10.5): test is anyof (default) or
// allof, else 400; text-match defaults to collation i;unicode-casemap (§10.5.4) and match-type
// contains; an unknown collation is kForbidden with CARDDAV:supported-collation, an unknown
// match-type or negate-condition 400. address-data (§10.4) must ask for text/vcard 3.0 or 4.0,
// else kForbidden with CARDDAV:supported-address-data. Property and parameter names are
// upper-cased.
Result<AddressbookReport> ParseAddressbookReport(std::string_view body,
                                                 const formats::xml::XmlLimits& limits);

}  // namespace regie::proto::carddav
