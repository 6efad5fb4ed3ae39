// Collections, items, blobs and the change log: the one model behind files, calendars, address
// books and mailboxes (DESIGN.md "The model"). Plain values; no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "model/ids.h"

namespace regie::model {

// The SHA-256 of a blob's content. Blobs are stored once per organisation.
struct BlobHash {
  std::array<std::uint8_t, 32> bytes{};
  auto operator<=>(const BlobHash&) const = default;
  std::string Hex() const;
  static std::optional<BlobHash> FromHex(std::string_view hex);
};

enum class CollectionKind { kFolder, kCalendar, kAddressBook, kMailbox };
std::string_view CollectionKindName(CollectionKind kind);
std::optional<CollectionKind> ParseCollectionKind(std::string_view name);

struct Collection {
  CollectionId id;
  OrgId org;
  PrincipalId owner;
  std::optional<CollectionId> parent;  // Empty for a root.
  // The root whose change log records writes below this collection (itself for a root).
  CollectionId sync_root;
  CollectionKind kind = CollectionKind::kFolder;
  std::string name;  // Empty for a root.
  std::int64_t created = 0;
  std::int64_t modified = 0;
};

struct Item {
  ItemId id;
  OrgId org;
  CollectionId collection;
  std::string name;
  BlobHash blob;
  std::uint64_t size = 0;
  std::string etag;  // Strong entity tag value, without quotes.
  std::string content_type;
  std::int64_t created = 0;
  std::int64_t modified = 0;  // Unix seconds.
};

// A member of a collection: a sub-collection or an item.
using Member = std::variant<Collection, Item>;

// COPY of a collection: the collection alone (Depth: 0) or with everything below it.
enum class CopyDepth { kCollectionOnly, kTree };

// What a sharee may do with a shared calendar or address book.
enum class ShareAccess { kRead, kReadWrite };

// A calendar or address book shared with a principal of the same organisation.
struct Share {
  CollectionId collection;
  PrincipalId sharee;
  ShareAccess access = ShareAccess::kRead;
};

// A collection shared with someone, as the sharee sees it.
struct SharedCollection {
  Collection collection;
  std::string owner_login;
  ShareAccess access = ShareAccess::kRead;
};

// A dead property (RFC 4918 §4.2): stored as the client sent it, returned verbatim.
struct DeadProperty {
  QName name{};
  std::string value{};  // The serialised property element.
};

// The property named `name` among `properties`, or nullptr.
const DeadProperty* FindProperty(const std::vector<DeadProperty>& properties, const QName& name);

// A resource that can carry dead properties.
using ResourceId = std::variant<CollectionId, ItemId>;

enum class ChangeOp { kCreated, kModified, kDeleted };

// What a change is about, so that a removal can be reported as a collection (RFC 6578 hrefs of
// collections end in '/') after the member is gone.
enum class MemberKind { kItem, kCollection };

struct Change {
  CollectionId sync_root;
  std::uint64_t seq = 0;
  CollectionId collection;  // Where the member lives (or lived); readers resolve its path.
  std::string name;
  ChangeOp op = ChangeOp::kCreated;
  MemberKind member = MemberKind::kItem;
};

// The entity tag of an item: derived from its content, so equal bytes give equal tags.
std::string EtagFor(const BlobHash& hash);

}  // namespace regie::model
