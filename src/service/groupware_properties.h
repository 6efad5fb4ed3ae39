// Properties of calendars and address books that the service reads or guards (stored as dead
// properties, so they round-trip as the client wrote them). Internal to service/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "formats/ical/calendar_object.h"
#include "model/content.h"

namespace regie::service::groupware_detail {

inline constexpr std::string_view kDavNs = "DAV:";
inline constexpr std::string_view kCardDavNs = "urn:ietf:params:xml:ns:carddav";
using formats::ical::kCalDavNs;

inline QName CalDav(std::string_view name) { return {std::string(kCalDavNs), std::string(name)}; }
inline QName CardDav(std::string_view name) { return {std::string(kCardDavNs), std::string(name)}; }

// <d:displayname xmlns:d="DAV:">text</d:displayname>, as a PROPPATCH would have stored it.
model::DeadProperty DisplayName(std::string_view text);
// CALDAV:supported-calendar-component-set listing `kinds`.
model::DeadProperty SupportedComponentSet(const std::vector<formats::ical::ComponentKind>& kinds);
// The kinds a stored supported-calendar-component-set lists; nullopt when it is malformed.
std::optional<std::vector<formats::ical::ComponentKind>> ParseSupportedComponentSet(
    std::string_view value);
// The text content of a stored property (calendar-timezone holds a VCALENDAR as text).
std::optional<std::string> PropertyText(std::string_view value);

// Checks one property a client sets on a calendar or address book (PROPPATCH, MKCALENDAR):
// kForbidden with the RFC's condition for a value the server cannot accept.
Result<void> CheckCollectionProperty(const model::DeadProperty& property);

using model::FindProperty;

}  // namespace regie::service::groupware_detail
