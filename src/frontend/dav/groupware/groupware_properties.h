// The properties of calendar and address book homes, collections and objects (RFC 4791 §5.2,
// §6.2, RFC 6352 §6.2, §7.1, RFC 6578 sync-token, CalendarServer getctag, Apple calendar-color),
// and one <d:response> per resource for PROPFIND and REPORT.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "frontend/dav/groupware/groupware_request.h"
#include "model/content.h"
#include "proto/dav/dav_requests.h"

namespace regie::frontend::dav {

// "<d:multistatus …>" declaring the prefixes the live properties use.
inline constexpr std::string_view kGroupwareMultistatusOpen =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\" "
    "xmlns:C=\"urn:ietf:params:xml:ns:caldav\" xmlns:CR=\"urn:ietf:params:xml:ns:carddav\" "
    "xmlns:CS=\"http://calendarserver.org/ns/\">";

// A resource as a multistatus describes it.
struct GroupwareResource {
  enum class Kind { kHome, kCollection, kObject };
  Kind kind = Kind::kObject;
  std::string href;
  const model::Collection* collection = nullptr;  // The home or the collection.
  const model::Item* item = nullptr;              // kObject only.
  bool read_only = false;  // Shared with the caller read-only: privileges say so.
};

// A property whose value the caller computed (a REPORT's calendar-data or address-data): the
// whole element, answering `name`.
struct ComputedProperty {
  QName name;
  std::string element;
};

// The sync-token of a collection at `seq`.
std::string GroupwareSyncToken(const model::Collection& collection, std::uint64_t seq);
// The seq of a sync-token of `collection`; nullopt when it is not one of its tokens.
std::optional<std::uint64_t> ParseGroupwareSyncToken(const model::Collection& collection,
                                                     std::string_view token);

bool IsGroupwareLiveProperty(const QName& name);

// Appends one <d:response> for `resource`: its live properties, `dead` (its dead properties;
// read by the caller when NeedsDeadProperties) and `computed`. Reads the collection's sequence
// for getctag and sync-token when they are asked for (a store read).
Result<void> AppendGroupwareResponse(std::string& out, const GroupwareRequest& req,
                                     const GroupwareResource& resource,
                                     const proto::dav::PropfindRequest& propfind,
                                     const std::vector<model::DeadProperty>& dead,
                                     const std::optional<ComputedProperty>& computed = {});

}  // namespace regie::frontend::dav
