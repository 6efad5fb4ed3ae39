// Pieces of the CardDAV REPORT grammar shared by the report parsers (private to proto/carddav).
#pragma once

#include <optional>

#include "base/result.h"
#include "formats/vcard/card_filter.h"
#include "formats/xml/xml_element.h"

namespace regie::proto::carddav::detail {

// RFC 6352 §10.5: CARDDAV:filter, its prop-filters, param-filters and text-matches.
Result<formats::vcard::CardFilter> ParseFilter(const formats::xml::XmlElement& filter);

// The CARDDAV:address-data element of `prop` (a DAV:prop), or nullopt when it has none.
Result<std::optional<formats::vcard::AddressDataRequest>> FindAddressData(
    const formats::xml::XmlElement* prop);

}  // namespace regie::proto::carddav::detail
