// Files in a principal's tree (/dav/files/<login>/...): resolve, read, write and delete, with
// the access rule, quotas, preconditions and blob reference counting applied once, here.
//
// Access rule (docs/access.md): a resource the caller may not read is kNotFound; readable but not
// writable is kForbidden. Today a tree is readable and writable by its owner only.
//
// Threads: thread-safe. Resolve() and Open() do short indexed reads; Upload::Commit() and
// Delete() fsync and belong on the blocking pool.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/content.h"
#include "model/preconditions.h"
#include "service/auth_service.h"
#include "service/blob_keeper.h"
#include "service/snapshot_memo.h"
#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace regie::service {

struct FileLimits {
  std::uint64_t max_upload_bytes = 0;  // 0: bounded by quota only.
  std::size_t max_name_bytes = 255;    // Longer names are refused (most file systems' limit).
  // Files up to this size keep their bytes in the metadata store, committed with the metadata:
  // one fsync per small upload instead of three, and no file per small blob. At most 64 KiB.
  std::size_t inline_blob_bytes = std::size_t{8} * 1024;
  // Memory for GET resolutions (caller, path, a small file's bytes) remembered until the next
  // write to the store (snapshot_memo.h); 0 disables.
  std::size_t remembered_reads_bytes = std::size_t{4} << 20;
};

// Where a path points. `parent` is empty when a folder on the way does not exist.
struct FileTarget {
  model::Principal owner;
  model::Org org;
  std::optional<model::Collection> parent;
  std::string name;                         // Empty when the path names the root.
  std::optional<model::Item> item;          // The file, if one exists there.
  std::optional<model::Collection> folder;  // The folder, if the path names one.
  // A small file's bytes when they live in the metadata store and Resolve() was asked for them
  // (InlineBytes::kRead): a GET of a small file then needs no second transaction.
  std::optional<std::string> inline_content{};
};

enum class InlineBytes { kSkip, kRead };

struct OpenedFile {
  model::Item item;
  std::unique_ptr<storage::BlobReader> reader;
};

struct WriteOutcome {
  model::Item item;
  bool created = false;
};

enum class Overwrite { kNo, kYes };

struct RelocateOutcome {
  bool replaced = false;  // Something existed at the destination and was replaced (204, not 201).
};

// Storage usage of the owner of a tree, for quota-used-bytes and quota-available-bytes.
struct QuotaUsage {
  std::uint64_t used = 0;
  std::optional<std::uint64_t> available;  // Empty when neither the user nor the org has a quota.
};

// A member of a folder's subtree that changed since a sync token: its current state, or neither
// item nor folder when it is gone.
struct TreeChange {
  std::vector<std::string> path;  // Below the synchronised folder.
  std::optional<model::Item> item;
  std::optional<model::Collection> folder;
  bool collection = false;  // What the change was about; says how to name a removed member.
};

enum class SyncScope { kMembers, kTree };  // RFC 6578 sync-level 1 and infinite.

struct ChangeSet {
  std::vector<TreeChange> changes;
  std::uint64_t seq = 0;   // The position these changes bring a client to.
  bool truncated = false;  // More changes follow; ask again from `seq`.
};

enum class PropertyOp { kSet, kRemove };

struct PropertyChange {
  PropertyOp op = PropertyOp::kSet;
  model::DeadProperty property;  // For kRemove only the name counts.
};

class Upload;

class FileService {
 public:
  FileService(std::shared_ptr<storage::MetadataStore> metadata, std::shared_ptr<BlobKeeper> keeper,
              std::shared_ptr<AuthService> auth, FileLimits limits);

  // Confirms the caller (AuthService::Confirm) in the same snapshot: kUnauthenticated if stale.
  // With InlineBytes::kRead a small file's bytes stored inline come along (for a GET).
  Result<FileTarget> Resolve(const Caller& caller, std::string_view owner_login,
                             const std::vector<std::string>& segments,
                             InlineBytes inline_bytes = InlineBytes::kSkip);
  // Opens the file's content for reading from byte `offset`.
  Result<OpenedFile> Open(const FileTarget& target, std::uint64_t offset = 0);
  // Checks everything that can be checked before the body arrives (parent exists, not a folder,
  // preconditions, declared length against limits and quota), then starts the blob write.
  Result<std::unique_ptr<Upload>> BeginUpload(const FileTarget& target,
                                              const model::Preconditions& preconditions,
                                              std::optional<std::uint64_t> declared_length,
                                              std::string content_type);
  // Deletes a file, or a folder with everything below it.
  Result<void> Delete(const FileTarget& target, const model::Preconditions& preconditions);
  // MKCOL: kMethodNotAllowed when something exists there, kConflict without a parent.
  Result<model::Collection> MakeFolder(const FileTarget& target);
  // MOVE and COPY (RFC 4918 §9.8, §9.9) within the caller's tree. `preconditions` apply to the
  // source as it is under the write lock. With Overwrite::kYes an existing destination is
  // deleted first, in the same transaction; with kNo it is kPreconditionFailed. A folder move is
  // one row update; a copy shares blobs.
  Result<RelocateOutcome> Move(const FileTarget& from, const FileTarget& to, Overwrite overwrite,
                               const model::Preconditions& preconditions);
  Result<RelocateOutcome> Copy(const FileTarget& from, const FileTarget& to, Overwrite overwrite,
                               const model::Preconditions& preconditions, model::CopyDepth depth);
  // One page of the members of `folder`, a folder inside the tree `within` was resolved in,
  // after `after` (bytewise name order), in its own snapshot.
  Result<std::vector<model::Member>> ListFolder(const FileTarget& within,
                                                model::CollectionId folder, std::string_view after,
                                                std::size_t limit);
  // Opens the content of `item`, a file that ListFolder() returned for the tree `within` was
  // resolved in (a folder walk, an export).
  Result<std::unique_ptr<storage::BlobReader>> OpenMember(const FileTarget& within,
                                                          const model::Item& item);
  // The dead properties of `resource`, a file or folder inside the tree `within` was resolved in.
  Result<std::vector<model::DeadProperty>> Properties(const FileTarget& within,
                                                      const model::ResourceId& resource);
  // Applies every change or none (RFC 4918 §9.2).
  Result<void> PatchProperties(const FileTarget& target,
                               const std::vector<PropertyChange>& changes);
  Result<QuotaUsage> Usage(const FileTarget& target);

  // The change sequence of the tree `folder` lives in (for sync tokens).
  Result<std::uint64_t> CurrentSeq(const FileTarget& folder);
  // What changed below `folder` after `since`, deduplicated, in change order, at most about
  // `max_results` entries (whole changes are never split; a folder that appeared counts with
  // its whole subtree under kTree). kForbidden with DAV:valid-sync-token when `since` is ahead
  // of the log, or when one change alone exceeds a server limit (a folder of more members than
  // it allows appeared: the client must sync from scratch, which streams); kTooManyResults with
  // DAV:number-of-matches-within-limits when it exceeds the client's own limit.
  enum class LimitKind { kServer, kClient };
  Result<ChangeSet> ChangesSince(const FileTarget& folder, std::uint64_t since, SyncScope scope,
                                 std::size_t max_results, LimitKind limit_kind);

 private:
  friend class Upload;
  Result<WriteOutcome> CommitUpload(Upload& upload);
  // Forgets and removes `hash` if its refcount is zero (BlobKeeper::Release).
  void ReleaseBlob(const model::Org& org, const model::BlobHash& hash);
  // kInvalidInput for a name that cannot be stored; else its uniqueness key (NFC).
  Result<std::string> NameKey(std::string_view name) const;
  // Deletes whatever `target` names inside `txn`; the blobs to release after commit.
  Result<std::vector<model::BlobHash>> DeleteIn(storage::Txn& txn, const FileTarget& target);
  // MOVE and COPY: one write transaction that re-reads both paths, makes room at the
  // destination (PrepareDestination), runs `apply`, commits, and releases freed blobs.
  using RelocateStep =
      std::function<Result<void>(storage::Txn&, const FileTarget& from, const FileTarget& to,
                                 const storage::Placement& place)>;
  Result<RelocateOutcome> Relocate(const FileTarget& source, const FileTarget& destination,
                                   Overwrite overwrite, const model::Preconditions& preconditions,
                                   const RelocateStep& apply);
  // Whether the tree's owner or organisation now uses more than its quota (checked after a
  // write whose size is only known once done, such as a COPY of a folder).
  Result<bool> OverQuota(storage::Txn& txn, const FileTarget& target);
  // Checks shared by MOVE and COPY; deletes an existing destination if allowed.
  Result<RelocateOutcome> PrepareDestination(storage::Txn& txn, const FileTarget& from,
                                             const FileTarget& to, Overwrite overwrite,
                                             std::vector<model::BlobHash>& released);
  // What `target`'s path names now, read inside `txn` (a write transaction): the snapshot that
  // Resolve() took may be stale by the time the write lock is held.
  Result<FileTarget> Current(storage::Txn& txn, const FileTarget& target);
  Result<FileTarget> ResolveIn(storage::Txn& txn, const Caller& cached_caller,
                               std::string_view owner_login,
                               const std::vector<std::string>& segments, InlineBytes inline_bytes);

  std::shared_ptr<storage::MetadataStore> metadata_;
  std::shared_ptr<BlobKeeper> keeper_;
  std::shared_ptr<AuthService> auth_;
  FileLimits limits_;
  SnapshotMemo<FileTarget> resolved_;  // GETs' resolutions, while the store is unchanged.
};

// One file upload in progress. Destroying it without Commit() leaves nothing behind.
class Upload {
 public:
  // Appends bytes (to memory while the body fits inline, then a local file write).
  // kQuotaExceeded or kTooLarge once over the limit.
  Result<void> Write(std::span<const char> data);
  // Makes the file durable and visible; returns its new state. Blocks (fsync).
  Result<WriteOutcome> Commit();

 private:
  friend class FileService;
  Upload(FileService& service, FileTarget target, model::Preconditions preconditions,
         std::unique_ptr<storage::BlobWriter> writer, std::uint64_t limit, Errc limit_code,
         std::string content_type);

  FileService& service_;
  FileTarget target_;
  model::Preconditions preconditions_;
  std::unique_ptr<storage::BlobWriter> writer_;
  std::uint64_t limit_;  // Bytes this upload may have; UINT64_MAX when unbounded.
  Errc limit_code_;
  std::string content_type_;
  std::string name_key_;
  std::string small_;  // The body while it fits inline (writer_ is null until it does not).
};

}  // namespace regie::service
