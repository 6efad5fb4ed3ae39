// The metadata store: transactions over organisations, principals, credentials, collections,
// items, blob reference counts and the change log. Two backends implement it (SQLite embedded,
// PostgreSQL scale-out) and pass the same conformance suite (tests/storage/).
//
// Threads: a MetadataStore is thread-safe; a Txn belongs to one thread at a time. Every method
// blocks (disk or network); I/O threads reach the store through net::RunBlocking(), except short
// indexed reads that the caller has decided are bounded.
//
// Tenancy: every content method takes the OrgId and matches it, so a caller holding an id from
// another organisation gets kNotFound, never another tenant's row.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "model/account.h"
#include "model/content.h"
#include "model/object_index.h"
#include "storage/integrity.h"

namespace regie::storage {

enum class TxnMode {
  kRead,   // A consistent snapshot; writes fail with kInternal.
  kWrite,  // Serialised against other writers, also in other processes on the same data.
};

// Every member of these request and outcome structs has an initializer, so that callers may name
// only the fields they need with designated initializers under -Wextra -Werror.
struct NewOrg {
  std::string name{};
  std::vector<std::string> domains{};
  std::uint64_t quota = 0;
};

struct NewPrincipal {
  model::OrgId org{};
  model::PrincipalKind kind = model::PrincipalKind::kUser;
  std::string login{};
  std::string display_name{};
  std::string email{};
  model::Role role = model::Role::kMember;
  std::string password_hash{};
  std::uint64_t quota = 0;
};

enum class SyncRoot { kInherit, kOwn };

struct NewCollection {
  model::OrgId org{};
  model::PrincipalId owner{};  // For a child: the parent's owner (usage and deletion follow it).
  std::optional<model::CollectionId> parent{};  // Empty: a new root, its own sync root.
  model::CollectionKind kind = model::CollectionKind::kFolder;
  std::string name{};  // Empty for a root; unique among the parent's children otherwise.
  // The name's uniqueness key (its NFC, computed by the service); empty means `name` itself.
  // No two members of a collection, sub-collections and items alike, share a key.
  std::string name_key{};
  // A child normally logs its changes in its parent's sync root; a calendar or an address book
  // in a home keeps its own change log (its sync-token and ctag see only its own members).
  SyncRoot sync_root = SyncRoot::kInherit;
};

struct ItemWrite {
  model::OrgId org{};
  model::CollectionId collection{};
  std::string name{};
  model::BlobHash blob{};
  std::uint64_t size = 0;
  std::string content_type{};
  std::string name_key{};  // As in NewCollection.
  // A small blob's bytes, kept in the metadata store instead of the BlobStore; empty for a blob
  // whose bytes are in the BlobStore.
  std::optional<std::string> inline_content{};
};

// Where MoveX and CopyX put a resource: a free name under `parent` (same sync root).
struct Placement {
  model::CollectionId parent{};
  std::string name{};
  std::string name_key{};  // As in NewCollection.
};

using model::CopyDepth;
using model::DeadProperty;
using model::Member;

struct DeleteTreeOutcome {
  std::vector<model::BlobHash> released{};  // Blobs whose refcount reached zero.
  std::uint64_t items = 0;                  // Items deleted below the collection.
  std::uint64_t bytes = 0;                  // Their logical size.
  std::uint64_t seq = 0;
};

struct TreeSize {
  std::uint64_t collections = 0;  // Below the collection, itself excluded.
  std::uint64_t items = 0;
  std::uint64_t bytes = 0;
};

struct PutItemOutcome {
  model::Item item{};
  bool created = false;                       // False when an existing item was replaced.
  std::optional<model::BlobHash> released{};  // The replaced blob whose refcount reached zero.
  std::uint64_t seq = 0;                      // The change-log sequence this write got.
};

struct DeleteItemOutcome {
  model::Item item{};                         // As it was before deletion.
  std::optional<model::BlobHash> released{};  // Its blob, if the refcount reached zero.
  std::uint64_t seq = 0;
};

// An item with its bytes when they are stored inline (ItemWrite::inline_content).
struct ItemWithContent {
  model::Item item{};
  std::optional<std::string> inline_content{};
};

struct BlobRef {
  model::OrgId org{};
  model::BlobHash hash{};
  std::uint64_t size = 0;
};

class Txn {
 public:
  virtual ~Txn() = default;  // Rolls back unless Commit() succeeded.

  // Makes the writes durable (fsync per the backend) before returning. After Commit() the Txn
  // accepts no further calls.
  virtual Result<void> Commit() = 0;
  // Write transactions committed before this transaction's snapshot began: it grows with every
  // commit, whatever was written or deleted, and never goes back. Backups report it.
  virtual Result<std::uint64_t> CommitSequence() = 0;

  // --- Organisations. Names, and domains across orgs, are unique: kAlreadyExists on a clash.
  virtual Result<model::Org> CreateOrg(const NewOrg& org) = 0;
  virtual Result<model::Org> FindOrg(std::string_view name) = 0;  // kNotFound
  virtual Result<model::Org> GetOrg(model::OrgId id) = 0;         // kNotFound
  virtual Result<std::vector<model::Org>> ListOrgs() = 0;         // Ordered by name.
  // Updates quota, disabled and domains of the org with `org.id`.
  virtual Result<void> UpdateOrg(const model::Org& org) = 0;
  // Deletes the org with its principals, collections and items; their blob refcounts drop.
  virtual Result<void> DeleteOrg(model::OrgId id) = 0;

  // --- Principals. Logins are unique across the deployment: kAlreadyExists on a clash.
  virtual Result<model::Principal> CreatePrincipal(const NewPrincipal& principal) = 0;
  virtual Result<model::Principal> FindPrincipal(std::string_view login) = 0;  // kNotFound
  virtual Result<model::Principal> GetPrincipal(model::PrincipalId id) = 0;    // kNotFound
  // All principals, or those of one org; ordered by login.
  virtual Result<std::vector<model::Principal>> ListPrincipals(std::optional<model::OrgId> org) = 0;
  virtual Result<std::uint64_t> CountPrincipals() = 0;
  // Updates display name, email, role, password hash, credential_version, quota and disabled.
  virtual Result<void> UpdatePrincipal(const model::Principal& principal) = 0;
  // Deletes the principal with its app passwords, collections and items (blob refcounts drop).
  virtual Result<void> DeletePrincipal(model::PrincipalId id) = 0;

  // --- Group membership: members of a principal of kind kGroup, all of the group's org.
  // kNotFound when the group (of kind kGroup) or the member is not in `org`; kInvalidInput when
  // the member is a group itself. Adding a member twice is not an error.
  virtual Result<void> AddGroupMember(model::OrgId org, model::PrincipalId group,
                                      model::PrincipalId member) = 0;
  // Whether there was such a member to remove.
  virtual Result<bool> RemoveGroupMember(model::OrgId org, model::PrincipalId group,
                                         model::PrincipalId member) = 0;
  // The members of a group, ordered by login.
  virtual Result<std::vector<model::Principal>> ListGroupMembers(model::OrgId org,
                                                                 model::PrincipalId group) = 0;

  // --- App passwords. Labels are unique per principal: kAlreadyExists on a clash.
  virtual Result<model::AppPassword> AddAppPassword(model::PrincipalId principal,
                                                    std::string_view label,
                                                    const std::vector<std::uint8_t>& digest) = 0;
  virtual Result<std::vector<model::AppPassword>> ListAppPasswords(
      model::PrincipalId principal) = 0;  // Ordered by label.
  virtual Result<void> RevokeAppPassword(model::PrincipalId principal,
                                         std::string_view label) = 0;  // kNotFound

  // --- Browser sessions, by the digest of their secret.
  virtual Result<void> CreateSession(const model::Session& session) = 0;  // kAlreadyExists
  virtual Result<model::Session> FindSession(std::span<const std::uint8_t> digest) = 0;
  // Updates last_seen and password_digest; kNotFound when the session is gone.
  virtual Result<void> UpdateSession(const model::Session& session) = 0;
  virtual Result<void> DeleteSession(std::span<const std::uint8_t> digest) = 0;  // Idempotent.
  // Ends every session of `principal` but the one with digest `keep` (empty: all); the count.
  virtual Result<std::uint64_t> DeleteSessionsOf(model::PrincipalId principal,
                                                 std::span<const std::uint8_t> keep) = 0;
  // Ends sessions idle since before `seen_before` or created before `created_before`.
  virtual Result<std::uint64_t> DeleteExpiredSessions(std::int64_t seen_before,
                                                      std::int64_t created_before) = 0;

  // --- Collections. Sibling names are unique: kAlreadyExists on a clash.
  virtual Result<model::Collection> CreateCollection(const NewCollection& collection) = 0;
  virtual Result<model::Collection> GetCollection(model::OrgId org, model::CollectionId id) = 0;
  // The root collection of `kind` owned by `owner`, or kNotFound.
  virtual Result<model::Collection> FindRoot(model::OrgId org, model::PrincipalId owner,
                                             model::CollectionKind kind) = 0;
  virtual Result<model::Collection> FindChild(model::OrgId org, model::CollectionId parent,
                                              std::string_view name) = 0;  // kNotFound
  // Members of `parent` whose name sorts (bytewise) after `after`, in name order, at most
  // `limit`: a listing is read in pages, so that a huge folder never sits in memory whole.
  virtual Result<std::vector<Member>> ListMembers(model::OrgId org, model::CollectionId parent,
                                                  std::string_view after, std::size_t limit) = 0;
  // Deletes a non-root collection with everything below it: blobs are released, usage drops,
  // and one kDeleted change for the collection is appended (sync clients infer the members).
  virtual Result<DeleteTreeOutcome> DeleteCollection(model::OrgId org, model::CollectionId id) = 0;
  // Moves or renames a non-root collection: one row update whatever lies below it, plus a
  // kDeleted change at the old place and a kCreated change at the new one. kAlreadyExists when
  // the name is taken; kForbidden when `to.parent` is the collection itself or below it.
  virtual Result<model::Collection> MoveCollection(model::OrgId org, model::CollectionId id,
                                                   const Placement& to) = 0;
  // Copies a collection (with its members for kTree) and their dead properties. Items share the
  // source's blobs (refcounts rise, no bytes are copied); usage grows by the logical size.
  // kForbidden when `to.parent` is the collection itself or below it.
  virtual Result<model::Collection> CopyCollection(model::OrgId org, model::CollectionId id,
                                                   const Placement& to, CopyDepth depth) = 0;
  virtual Result<TreeSize> MeasureTree(model::OrgId org, model::CollectionId id) = 0;

  // --- Items.
  virtual Result<model::Item> FindItem(model::OrgId org, model::CollectionId collection,
                                       std::string_view name) = 0;  // kNotFound
  // The items of `collection` named in `names`, in the order of `names`, each with its inline
  // bytes when it has them; a name that is not there is left out. One round trip per many
  // names, for multigets and initial syncs.
  virtual Result<std::vector<ItemWithContent>> FindItems(model::OrgId org,
                                                         model::CollectionId collection,
                                                         const std::vector<std::string>& names) = 0;
  // Creates or replaces the item, takes a reference on the new blob (creating its row with
  // refcount 1 if new), releases the replaced one, updates usage, and appends a change to the
  // collection's sync root. The blob's bytes must already be durable in the BlobStore.
  virtual Result<PutItemOutcome> PutItem(const ItemWrite& write) = 0;
  // Deletes the item, releases its blob, updates usage, appends a change. kNotFound if absent.
  virtual Result<DeleteItemOutcome> DeleteItem(model::OrgId org, model::CollectionId collection,
                                               std::string_view name) = 0;
  // Moves or renames an item (its id, blob, ETag and properties stay); changes as for
  // MoveCollection. kAlreadyExists when the name is taken.
  virtual Result<model::Item> MoveItem(model::OrgId org, model::ItemId id, const Placement& to) = 0;
  // Copies an item and its dead properties; the copy shares the blob. kAlreadyExists when taken.
  virtual Result<model::Item> CopyItem(model::OrgId org, model::ItemId id, const Placement& to) = 0;

  // --- Index rows of calendar objects and vCards (deleted with their item, kept by MoveItem).
  // Replaces the item's index rows.
  virtual Result<void> SetObjectIndex(model::OrgId org, model::ItemId item,
                                      const model::ObjectIndex& index) = 0;
  // The item of `collection` whose index has `uid`, or kNotFound.
  virtual Result<model::Item> FindByUid(model::OrgId org, model::CollectionId collection,
                                        std::string_view uid) = 0;
  // Indexed items of `collection` that may overlap the query's range (a superset: floating
  // objects are widened by a day, and kCheckObject marks those the index cannot decide), in name
  // order after `after`, at most `limit`.
  virtual Result<std::vector<model::IndexedItem>> QueryObjects(model::OrgId org,
                                                               model::CollectionId collection,
                                                               const model::ObjectQuery& query,
                                                               std::string_view after,
                                                               std::size_t limit) = 0;

  // --- Shares of calendars and address books with principals of the same organisation.
  // Adds or updates a share; kNotFound when the collection or the sharee is not in `org`.
  virtual Result<void> SetShare(model::OrgId org, const model::Share& share) = 0;
  // Whether there was a share to remove.
  virtual Result<bool> RemoveShare(model::OrgId org, model::CollectionId collection,
                                   model::PrincipalId sharee) = 0;
  // The shares of a collection, ordered by sharee.
  virtual Result<std::vector<model::Share>> ListShares(model::OrgId org,
                                                       model::CollectionId collection) = 0;
  // The collections of `kind` shared with `sharee` or with a group `sharee` belongs to (once
  // each, with the widest access granted), ordered by owner login and name. A principal's own
  // collections are never among them.
  virtual Result<std::vector<model::SharedCollection>> ListSharedWith(
      model::OrgId org, model::PrincipalId sharee, model::CollectionKind kind) = 0;

  // --- Publications: a calendar readable by anyone holding its token (the token is the secret).
  // kAlreadyExists when the token is taken.
  virtual Result<void> AddPublication(model::OrgId org, model::CollectionId collection,
                                      std::string_view token) = 0;
  // Removes every token of the collection; how many there were.
  virtual Result<std::size_t> RemovePublications(model::OrgId org,
                                                 model::CollectionId collection) = 0;
  // The tokens of a collection, oldest first.
  virtual Result<std::vector<std::string>> ListPublications(model::OrgId org,
                                                            model::CollectionId collection) = 0;
  // The collection a token publishes, or kNotFound.
  virtual Result<model::Collection> FindPublication(std::string_view token) = 0;

  // --- Dead properties of a collection or an item. Each set or removal appends a kModified
  // change for the resource, so sync clients learn of it.
  virtual Result<std::vector<DeadProperty>> ListProperties(model::OrgId org,
                                                           const model::ResourceId& resource) = 0;
  virtual Result<void> SetProperty(model::OrgId org, const model::ResourceId& resource,
                                   const DeadProperty& property) = 0;
  // Removing a property that does not exist is not an error (RFC 4918 §14.23).
  virtual Result<void> RemoveProperty(model::OrgId org, const model::ResourceId& resource,
                                      const QName& name) = 0;

  // --- Usage (logical bytes of items, for quotas).
  virtual Result<std::uint64_t> PrincipalUsage(model::PrincipalId owner) = 0;
  virtual Result<std::uint64_t> OrgUsage(model::OrgId org) = 0;

  // --- Blobs.
  virtual Result<std::uint64_t> BlobRefcount(model::OrgId org,
                                             const model::BlobHash& hash) = 0;  // 0 if unknown
  // The bytes of a blob stored inline (ItemWrite::inline_content); nullopt when the blob's bytes
  // live in the BlobStore or the blob is unknown.
  virtual Result<std::optional<std::string>> InlineContent(model::OrgId org,
                                                           const model::BlobHash& hash) = 0;
  // Blobs whose refcount is zero, at most `limit`.
  virtual Result<std::vector<BlobRef>> ListUnreferencedBlobs(std::size_t limit) = 0;
  // Removes the blob's row if its refcount is zero; returns whether it did.
  virtual Result<bool> ForgetBlob(model::OrgId org, const model::BlobHash& hash) = 0;

  // --- Change log (DESIGN.md principle 3).
  virtual Result<std::uint64_t> CurrentSeq(model::CollectionId sync_root) = 0;
  // Changes with seq > `after`, ascending, at most `limit`.
  virtual Result<std::vector<model::Change>> ChangesSince(model::CollectionId sync_root,
                                                          std::uint64_t after,
                                                          std::size_t limit) = 0;

  // --- Integrity (regie fsck, backups; storage/integrity.h). Scans read this transaction's
  // snapshot in key order, take time in proportion to the store, hold bounded memory, and stop
  // at the first error `visit` returns. Repairs need a kWrite transaction.
  // Every blob row, and every blob that items reference without a row, with references counted.
  virtual Result<void> ScanBlobRecords(const Visitor<BlobRecord>& visit) = 0;
  // Every collection, ordered by id.
  virtual Result<void> ScanCollections(const Visitor<CollectionRecord>& visit) = 0;
  // Name keys shared by several members of one collection, at most `limit`.
  virtual Result<std::vector<NameClash>> ListNameClashes(std::size_t limit) = 0;
  // Items outside any collection of their organisation, at most `limit`.
  virtual Result<std::vector<StrayItem>> ListStrayItems(std::size_t limit) = 0;
  // Every sync root that has changes, ordered by id.
  virtual Result<void> ScanChangeLogs(const Visitor<ChangeLogRecord>& visit) = 0;
  // Sets the blob's refcount, creating its row (with `size`, bytes in the BlobStore) if missing.
  virtual Result<void> RepairBlobRefcount(model::OrgId org, const model::BlobHash& hash,
                                          std::uint64_t size, std::uint64_t refcount) = 0;
  // Raises the sequence of a sync root to `seq` (so that its next change does not clash).
  virtual Result<void> RepairChangeSeq(model::CollectionId sync_root, std::uint64_t seq) = 0;
  // Items whose content is the blob, ordered by id, at most `limit` (to name what a lost blob
  // takes with it; a scan of the items).
  virtual Result<std::vector<model::Item>> ListItemsWithBlob(model::OrgId org,
                                                             const model::BlobHash& hash,
                                                             std::size_t limit) = 0;
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;
  // kUnavailable when the backend cannot be reached or stays busy past its timeout.
  virtual Result<std::unique_ptr<Txn>> Begin(TxnMode mode) = 0;
  // A number read from memory, without I/O or a transaction, that moves whenever a write
  // transaction commits, in this process or in any other on the same store. Read before a
  // transaction begins, an unchanged stamp means that nothing it read has changed since
  // (service/snapshot_memo.h relies on this). A writer killed inside Commit() may leave it
  // unmoved, so no caller trusts an old read for long on its strength alone.
  virtual std::uint64_t ChangeStamp() const = 0;
};

}  // namespace regie::storage
