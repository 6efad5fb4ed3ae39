// The SQLite implementation of storage::Txn. Internal to the backend: callers see only
// MetadataStore and Txn (storage/metadata_store.h), which state the contract.
//
// A SqliteTxn owns one pooled connection from Start() until it is destroyed. Write transactions
// open with BEGIN IMMEDIATE, so they take SQLite's write lock up front (waiting up to the busy
// timeout for other writers, also in other processes) and never fail half-way on a lock upgrade.
// Methods are split by concept: sqlite_txn_accounts.cc (orgs, principals, app passwords) and
// sqlite_txn_content.cc (collections, items, blobs, usage, change log).
#pragma once

#include <memory>
#include <mutex>
#include <string_view>

#include "storage/metadata_store.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/connection_pool.h"

namespace regie::storage::sqlite {

class SqliteTxn final : public Txn {
 public:
  // Begins a transaction on `conn` (a write transaction after the other writers of this
  // process: kUnavailable after kBusyTimeout); on failure hands `conn` back to `pool`.
  static Result<std::unique_ptr<Txn>> Start(std::shared_ptr<ConnectionPool> pool,
                                            std::unique_ptr<Connection> conn, TxnMode mode);
  ~SqliteTxn() override;

  Result<void> Commit() override;
  Result<std::uint64_t> CommitSequence() override;

  Result<model::Org> CreateOrg(const NewOrg& org) override;
  Result<model::Org> FindOrg(std::string_view name) override;
  Result<model::Org> GetOrg(model::OrgId id) override;
  Result<std::vector<model::Org>> ListOrgs() override;
  Result<void> UpdateOrg(const model::Org& org) override;
  Result<void> DeleteOrg(model::OrgId id) override;

  Result<model::Principal> CreatePrincipal(const NewPrincipal& principal) override;
  Result<model::Principal> FindPrincipal(std::string_view login) override;
  Result<model::Principal> GetPrincipal(model::PrincipalId id) override;
  Result<std::vector<model::Principal>> ListPrincipals(std::optional<model::OrgId> org) override;
  Result<std::uint64_t> CountPrincipals() override;
  Result<void> UpdatePrincipal(const model::Principal& principal) override;
  Result<void> DeletePrincipal(model::PrincipalId id) override;

  Result<void> AddGroupMember(model::OrgId org, model::PrincipalId group,
                              model::PrincipalId member) override;
  Result<bool> RemoveGroupMember(model::OrgId org, model::PrincipalId group,
                                 model::PrincipalId member) override;
  Result<std::vector<model::Principal>> ListGroupMembers(model::OrgId org,
                                                         model::PrincipalId group) override;

  Result<model::AppPassword> AddAppPassword(model::PrincipalId principal, std::string_view label,
                                            const std::vector<std::uint8_t>& digest) override;
  Result<std::vector<model::AppPassword>> ListAppPasswords(model::PrincipalId principal) override;
  Result<void> RevokeAppPassword(model::PrincipalId principal, std::string_view label) override;
  Result<void> CreateSession(const model::Session& session) override;
  Result<model::Session> FindSession(std::span<const std::uint8_t> digest) override;
  Result<void> UpdateSession(const model::Session& session) override;
  Result<void> DeleteSession(std::span<const std::uint8_t> digest) override;
  Result<std::uint64_t> DeleteSessionsOf(model::PrincipalId principal,
                                         std::span<const std::uint8_t> keep) override;
  Result<std::uint64_t> DeleteExpiredSessions(std::int64_t seen_before,
                                              std::int64_t created_before) override;

  Result<model::Collection> CreateCollection(const NewCollection& collection) override;
  Result<model::Collection> GetCollection(model::OrgId org, model::CollectionId id) override;
  Result<model::Collection> FindRoot(model::OrgId org, model::PrincipalId owner,
                                     model::CollectionKind kind) override;
  Result<model::Collection> FindChild(model::OrgId org, model::CollectionId parent,
                                      std::string_view name) override;

  Result<std::vector<Member>> ListMembers(model::OrgId org, model::CollectionId parent,
                                          std::string_view after, std::size_t limit) override;
  Result<DeleteTreeOutcome> DeleteCollection(model::OrgId org, model::CollectionId id) override;
  Result<model::Collection> MoveCollection(model::OrgId org, model::CollectionId id,
                                           const Placement& to) override;
  Result<model::Collection> CopyCollection(model::OrgId org, model::CollectionId id,
                                           const Placement& to, CopyDepth depth) override;
  Result<TreeSize> MeasureTree(model::OrgId org, model::CollectionId id) override;

  Result<model::Item> FindItem(model::OrgId org, model::CollectionId collection,
                               std::string_view name) override;
  Result<std::vector<ItemWithContent>> FindItems(model::OrgId org, model::CollectionId collection,
                                                 const std::vector<std::string>& names) override;
  Result<PutItemOutcome> PutItem(const ItemWrite& write) override;
  Result<DeleteItemOutcome> DeleteItem(model::OrgId org, model::CollectionId collection,
                                       std::string_view name) override;
  Result<model::Item> MoveItem(model::OrgId org, model::ItemId id, const Placement& to) override;
  Result<model::Item> CopyItem(model::OrgId org, model::ItemId id, const Placement& to) override;

  Result<void> SetObjectIndex(model::OrgId org, model::ItemId item,
                              const model::ObjectIndex& index) override;
  Result<model::Item> FindByUid(model::OrgId org, model::CollectionId collection,
                                std::string_view uid) override;
  Result<std::vector<model::IndexedItem>> QueryObjects(model::OrgId org,
                                                       model::CollectionId collection,
                                                       const model::ObjectQuery& query,
                                                       std::string_view after,
                                                       std::size_t limit) override;

  Result<void> SetShare(model::OrgId org, const model::Share& share) override;
  Result<bool> RemoveShare(model::OrgId org, model::CollectionId collection,
                           model::PrincipalId sharee) override;
  Result<std::vector<model::Share>> ListShares(model::OrgId org,
                                               model::CollectionId collection) override;
  Result<std::vector<model::SharedCollection>> ListSharedWith(model::OrgId org,
                                                              model::PrincipalId sharee,
                                                              model::CollectionKind kind) override;

  Result<void> AddPublication(model::OrgId org, model::CollectionId collection,
                              std::string_view token) override;
  Result<std::size_t> RemovePublications(model::OrgId org, model::CollectionId collection) override;
  Result<std::vector<std::string>> ListPublications(model::OrgId org,
                                                    model::CollectionId collection) override;
  Result<model::Collection> FindPublication(std::string_view token) override;

  Result<std::vector<DeadProperty>> ListProperties(model::OrgId org,
                                                   const model::ResourceId& resource) override;
  Result<void> SetProperty(model::OrgId org, const model::ResourceId& resource,
                           const DeadProperty& property) override;
  Result<void> RemoveProperty(model::OrgId org, const model::ResourceId& resource,
                              const QName& name) override;

  Result<std::uint64_t> PrincipalUsage(model::PrincipalId owner) override;
  Result<std::uint64_t> OrgUsage(model::OrgId org) override;

  Result<std::uint64_t> BlobRefcount(model::OrgId org, const model::BlobHash& hash) override;
  Result<std::optional<std::string>> InlineContent(model::OrgId org,
                                                   const model::BlobHash& hash) override;
  Result<std::vector<BlobRef>> ListUnreferencedBlobs(std::size_t limit) override;
  Result<bool> ForgetBlob(model::OrgId org, const model::BlobHash& hash) override;

  Result<std::uint64_t> CurrentSeq(model::CollectionId sync_root) override;
  Result<std::vector<model::Change>> ChangesSince(model::CollectionId sync_root,
                                                  std::uint64_t after, std::size_t limit) override;

  // Integrity (sqlite_txn_integrity.cc).
  Result<void> ScanBlobRecords(const Visitor<BlobRecord>& visit) override;
  Result<void> ScanCollections(const Visitor<CollectionRecord>& visit) override;
  Result<std::vector<NameClash>> ListNameClashes(std::size_t limit) override;
  Result<std::vector<StrayItem>> ListStrayItems(std::size_t limit) override;
  Result<void> ScanChangeLogs(const Visitor<ChangeLogRecord>& visit) override;
  Result<void> RepairBlobRefcount(model::OrgId org, const model::BlobHash& hash, std::uint64_t size,
                                  std::uint64_t refcount) override;
  Result<void> RepairChangeSeq(model::CollectionId sync_root, std::uint64_t seq) override;
  Result<std::vector<model::Item>> ListItemsWithBlob(model::OrgId org, const model::BlobHash& hash,
                                                     std::size_t limit) override;

 private:
  SqliteTxn(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<Connection> conn, TxnMode mode);

  // A cached statement of this transaction's connection. Reports kInternal after Commit(), and
  // for a statement that writes inside a kRead transaction.
  Statement Prepare(std::string_view sql, std::string_view op);

  // Accounts (sqlite_txn_accounts.cc).
  Result<model::Org> ReadOrg(Statement& row);
  Result<std::vector<std::string>> ListDomains(model::OrgId org);
  Result<void> WriteDomains(model::OrgId org, const std::vector<std::string>& domains);
  Result<void> RequirePrincipal(model::PrincipalId id, std::optional<model::OrgId> org);

  // Content (sqlite_txn_content.cc).
  // Updates the item's row if item.id is valid, else inserts it and sets item.id.
  Result<void> StoreItemRow(model::Item& item, std::string_view name_key);
  // kAlreadyExists when a member of `parent` other than `except` has the name key `key`.
  Result<void> RequireFreeName(model::CollectionId parent, std::string_view key,
                               std::optional<model::ResourceId> except);
  // Takes one reference on the blob, creating its row at refcount 1 if new.
  // `content`: the bytes, for a blob stored inline.
  Result<void> TakeBlob(model::OrgId org, const model::BlobHash& hash, std::uint64_t size,
                        const std::optional<std::string>& content = std::nullopt);
  // Drops one reference; the hash if that brought the refcount to zero.
  Result<std::optional<model::BlobHash>> ReleaseBlob(model::OrgId org, const model::BlobHash& hash);
  Result<void> AddUsage(model::OrgId org, model::PrincipalId owner, std::int64_t delta);
  Result<std::uint64_t> AppendChange(model::CollectionId sync_root, model::CollectionId collection,
                                     std::string_view name, model::ChangeOp op,
                                     model::MemberKind member);

  // Trees (sqlite_txn_tree.cc).
  // The collection at `to.parent` after checks shared by move and copy: same org and sync root
  // as `source`, and not `source` itself or below it.
  Result<model::Collection> CheckPlacement(model::OrgId org, const model::Collection& source,
                                           const Placement& to);
  Result<model::Item> GetItem(model::OrgId org, model::ItemId id);  // kNotFound
  // The collection at `to.parent` for an item going there: a name, and the same sync root.
  Result<model::Collection> CheckItemPlacement(model::OrgId org, const model::Item& item,
                                               const Placement& to);
  Result<void> CopyMembers(model::OrgId org, model::CollectionId from, model::CollectionId to);
  // The two changes of a move: kDeleted at the old place, kCreated at `to`.
  Result<void> AppendRelocation(model::CollectionId sync_root, model::CollectionId old_parent,
                                std::string_view old_name, const Placement& to,
                                model::MemberKind member);
  Result<void> CopyProperties(const model::ResourceId& from, const model::ResourceId& to);
  Result<void> RequireResource(model::OrgId org, const model::ResourceId& resource);
  // Appends a kModified change for the resource (its properties changed); kNotFound when the
  // resource is not in `org`.
  Result<void> RecordPropertyChange(model::OrgId org, const model::ResourceId& resource);

  std::shared_ptr<ConnectionPool> pool_;
  std::unique_ptr<Connection> conn_;
  const TxnMode mode_;
  bool committed_ = false;
  std::unique_lock<std::timed_mutex> writer_;  // Held by a write transaction until COMMIT.
};

// Unix seconds now, for created/modified columns.
std::int64_t UnixNow();

// The uniqueness key of a name: `name_key` when the caller gave one, else the name itself.
inline std::string_view KeyOf(std::string_view name, std::string_view name_key) {
  return name_key.empty() ? name : name_key;
}

}  // namespace regie::storage::sqlite
